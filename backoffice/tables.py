"""The job queue's table: its columns and each row's cells, in GOV.UK style.

Written by hand rather than with django-tables2, which the queue first used: django-tables2 inspects each
cell's render method (`inspect.signature`) and resolves its accessor on every cell, which cost about 60 ms
of CPU for a page of 50 rows and 10 columns, more than the rest of the page together. Here each row's
cells are made by one plain function from the row's already-selected related objects (no query), and the
template only writes them out. Sorting is done by the queue's keyset pager; the header links come from
`sort_links`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from repairs.models import OPEN_STATES, Job

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


@dataclass(frozen=True)
class Column:
    name: str
    header: str


COLUMNS = [
    Column("job", "Job"),
    Column("place", "Where"),
    Column("trade", "Trade"),
    Column("priority", "Priority"),
    Column("state", "State"),
    Column("due_at", "Due"),
    Column("created_at", "Reported"),
    Column("assignee", "Team"),
    Column("flags", "Needs"),
]
SELECT = Column("select", "Select")


@dataclass
class Row:
    job: Job
    cells: list[SafeString | str]
    is_overdue: bool


@dataclass
class JobTable:
    """A page of queue rows; `selectable` adds a tick box per job for the bulk actions."""

    jobs: list[Job]
    selectable: bool = True
    sort_links: dict = field(default_factory=dict)
    empty_text: str = "No jobs match these filters."

    @property
    def columns(self) -> list[Column]:
        return [SELECT, *COLUMNS] if self.selectable else COLUMNS

    @property
    def rows(self) -> list[Row]:
        now = timezone.now()
        job_url = reverse("backoffice:job", args=[0]).replace("/0/", "/{}/")  # reversed once a page
        return [self._row(job, now, job_url) for job in self.jobs]

    def _row(self, job: Job, now: datetime.datetime, job_url: str) -> Row:
        overdue = is_overdue(job, now)
        cells = [
            format_html('<a class="govuk-link" href="{}">Job {}</a>', job_url.format(job.pk), job.pk),
            place_of(job),
            job.trade.name,
            job.priority.name,
            state_tag(job),
            due_cell(job, overdue),
            timezone.localtime(job.created_at).strftime("%-d %b %Y"),
            job.assignee.name if job.assignee_id else "Not assigned",
            flags_cell(job),
        ]
        if self.selectable:
            cells.insert(0, select_cell(job))
        return Row(job=job, cells=cells, is_overdue=overdue)


def select_cell(job: Job) -> SafeString:
    return format_html(
        '<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">'
        '<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="select-{0}" '
        'name="jobs" type="checkbox" value="{0}" form="bulk-form"><label class="govuk-label '
        'govuk-checkboxes__label" for="select-{0}"><span class="govuk-visually-hidden">Select job {0}'
        "</span></label></div></div>",
        job.pk,
    )


def due_cell(job: Job, overdue: bool) -> str:
    if job.due_at is None:
        return "Not set"
    when = timezone.localtime(job.due_at).strftime("%-d %b %Y %H:%M")
    if overdue:
        return format_html('{}<br><strong class="moj-badge moj-badge--red">Overdue</strong>', when)
    return when


def flags_cell(job: Job) -> SafeString:
    badges = []
    if getattr(job, "waiting_for_call_back", False):
        badges.append(("purple", "Call-back"))
    if getattr(job, "waiting_for_booking", False):
        badges.append(("blue", "Booking"))
    if job.needs_attention_since and job.state in OPEN_STATES:
        badges.append(("red", "Attention"))
    if job.channel == "phone":
        badges.append(("grey", "Phone"))
    return format_html_join(" ", '<strong class="moj-badge moj-badge--{}">{}</strong>', badges)


def is_overdue(job: Job, now: datetime.datetime | None = None) -> bool:
    return job.state in OPEN_STATES and job.due_at is not None and job.due_at < (now or timezone.now())
