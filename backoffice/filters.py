"""The queue's filters (django-filter): what a manager, an agent or a contractor narrows the jobs by.

Two choices made for speed at a million jobs: no filter asks for DISTINCT (each filters the job's own
columns or an `IN (subquery)`, so no row can repeat, and DISTINCT would stop the database reading the
due-date index in order); and no list grows with the register (a council has a few hundred estates but
thousands of blocks, so a block is typed by its code rather than chosen from thousands of options).
"""

from __future__ import annotations

import django_filters
from django import forms

from properties.models import Estate
from repairs.models import OPEN_STATES, Channel, JobState, Priority, Trade, WorkTeam

from . import selectors

DUE_CHOICES = [("overdue", "Overdue"), ("soon", "Due in the next 2 days")]
YES = [("yes", "Yes")]


class QueueFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(
        choices=JobState.choices, distinct=False, widget=forms.CheckboxSelectMultiple, label="State"
    )
    open = django_filters.ChoiceFilter(
        choices=[("yes", "Open jobs only")], method="filter_open", label="Open", empty_label="All jobs"
    )
    trade = django_filters.MultipleChoiceFilter(
        choices=[], distinct=False, widget=forms.CheckboxSelectMultiple, label="Trade"
    )
    priority = django_filters.MultipleChoiceFilter(
        choices=[], distinct=False, widget=forms.CheckboxSelectMultiple, label="Priority"
    )
    due = django_filters.ChoiceFilter(
        choices=DUE_CHOICES, method="filter_due", label="Due", empty_label="Any"
    )
    estate = django_filters.ChoiceFilter(
        choices=[], method="filter_estate", label="Estate", empty_label="Any"
    )
    block = django_filters.CharFilter(
        method="filter_block",
        label="Block code",
        help_text="The council's reference for the block, as on the property page.",
    )
    assignee = django_filters.ChoiceFilter(choices=[], label="Team or contractor", empty_label="Any")
    communal = django_filters.ChoiceFilter(
        choices=[("yes", "Communal areas"), ("no", "Homes")],
        method="filter_communal",
        label="Where",
        empty_label="Homes and communal areas",
    )
    channel = django_filters.MultipleChoiceFilter(
        choices=Channel.choices, distinct=False, widget=forms.CheckboxSelectMultiple, label="Reported by"
    )
    needs_booking = django_filters.ChoiceFilter(
        choices=YES, method="filter_needs_booking", label="Needs booking", empty_label="Any"
    )
    call_back = django_filters.ChoiceFilter(
        choices=YES, method="filter_call_back", label="Call-back", empty_label="Any"
    )
    attention = django_filters.ChoiceFilter(
        choices=YES, method="filter_attention", label="Needs attention", empty_label="Any"
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Each list is read once a request, as a plain list: a model choice field would query again to
        # validate, to draw the form and to name the chosen filters (a server-side cursor each time).
        priorities = list(Priority.objects.values_list("pk", "name", "is_emergency"))
        self.emergency_priority_ids = [pk for pk, _, is_emergency in priorities if is_emergency]
        choices = {
            "trade": [(str(pk), name) for pk, name in Trade.objects.values_list("pk", "name")],
            "priority": [(str(pk), name) for pk, name, _ in priorities],
            "estate": [
                (str(pk), name) for pk, name in Estate.objects.order_by("name").values_list("pk", "name")
            ],
            "assignee": [(str(pk), name) for pk, name in WorkTeam.objects.values_list("pk", "name")],
        }
        for name, listed in choices.items():
            self.filters[name].extra["choices"] = listed

    def filter_open(self, jobs, name, value):
        return jobs.filter(state__in=OPEN_STATES) if value == "yes" else jobs

    def filter_due(self, jobs, name, value):
        if value == "overdue":
            return selectors.overdue(jobs)
        return selectors.due_soon(jobs) if value == "soon" else jobs

    def filter_estate(self, jobs, name, value):
        return selectors.on_estate(jobs, int(value)) if value else jobs

    def filter_block(self, jobs, name, value):
        code = value.strip()
        return selectors.in_block_with_code(jobs, code) if code else jobs

    def filter_communal(self, jobs, name, value):
        if value == "yes":
            return jobs.filter(communal_area__isnull=False)
        return jobs.filter(property__isnull=False) if value == "no" else jobs

    def filter_needs_booking(self, jobs, name, value):
        return selectors.needing_booking(jobs) if value == "yes" else jobs

    def filter_call_back(self, jobs, name, value):
        return selectors.needing_call_back(jobs) if value == "yes" else jobs

    def filter_attention(self, jobs, name, value):
        return jobs.needing_attention() if value == "yes" else jobs
