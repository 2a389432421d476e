"""The job queue as a django-tables2 table in GOV.UK style.

Sorting is done by the queue's keyset pager (the database sorts, and pages follow the sort key), so the
table's own ordering is off and the header links come from `sort_links`.
"""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from repairs.models import Job

STATE_COLOURS = {
    "reported": "blue",
    "triaged": "purple",
    "scheduled": "turquoise",
    "in_progress": "yellow",
    "on_hold": "orange",
    "no_access": "red",
    "completed": "green",
    "closed": "grey",
    "cancelled": "grey",
    "rejected": "grey",
    "merged": "grey",
}


def state_tag(job: Job) -> str:
    return format_html(
        '<strong class="govuk-tag govuk-tag--{} app-nowrap">{}</strong>',
        STATE_COLOURS.get(job.state, "grey"),
        job.get_state_display(),
    )


def place_of(job: Job) -> str:
    if job.property_id:
        return job.property.one_line_address
    area = job.communal_area
    return f"{area.name}, {area.block.name if area.block_id else area.estate.name}"


class JobTable(tables.Table):
    select = tables.TemplateColumn(
        template_name="backoffice/includes/select_cell.html", verbose_name="Select", orderable=False
    )
    job = tables.Column(accessor="pk", verbose_name="Job")
    place = tables.Column(accessor="pk", verbose_name="Where", empty_values=())
    trade = tables.Column(accessor="trade__name", verbose_name="Trade")
    priority = tables.Column(accessor="priority__name", verbose_name="Priority")
    state = tables.Column(verbose_name="State", empty_values=())
    due_at = tables.Column(verbose_name="Due", empty_values=())
    created_at = tables.DateTimeColumn(verbose_name="Reported", format="j M Y")
    assignee = tables.Column(accessor="assignee__name", verbose_name="Team", default="Not assigned")
    flags = tables.Column(accessor="pk", verbose_name="Needs", empty_values=())

    class Meta:
        orderable = False
        template_name = "backoffice/tables/govuk.html"
        attrs = {"class": "govuk-table app-queue"}
        row_attrs = {
            "class": lambda record: (
                "govuk-table__row" + (" app-queue__row--overdue" if is_overdue(record) else "")
            )
        }
        empty_text = "No jobs match these filters."

    def __init__(self, *args, selectable: bool = True, **kwargs) -> None:
        super().__init__(*args, exclude=() if selectable else ("select",), **kwargs)
        self.now = timezone.now()

    def render_job(self, record: Job) -> str:
        return format_html(
            '<a class="govuk-link" href="{}">Job {}</a>',
            reverse("backoffice:job", args=[record.pk]),
            record.pk,
        )

    def render_place(self, record: Job) -> str:
        return place_of(record)

    def render_state(self, record: Job) -> str:
        return state_tag(record)

    def render_due_at(self, record: Job) -> str:
        if record.due_at is None:
            return "Not set"
        when = timezone.localtime(record.due_at).strftime("%-d %b %Y %H:%M")
        if is_overdue(record):
            return format_html('{}<br><strong class="moj-badge moj-badge--red">Overdue</strong>', when)
        return when

    def render_flags(self, record: Job) -> str:
        badges = []
        if getattr(record, "waiting_for_call_back", False):
            badges.append(("purple", "Call-back"))
        if getattr(record, "waiting_for_booking", False):
            badges.append(("blue", "Booking"))
        if record.needs_attention_since and record.is_open:
            badges.append(("red", "Attention"))
        if record.channel == "phone":
            badges.append(("grey", "Phone"))
        return format_html_join(" ", '<strong class="moj-badge moj-badge--{}">{}</strong>', badges)


def is_overdue(job: Job) -> bool:
    return job.is_open and job.due_at is not None and job.due_at < timezone.now()
