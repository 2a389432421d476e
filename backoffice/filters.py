"""The queue's filters (django-filter): what a manager, an agent or a contractor narrows the jobs by."""

from __future__ import annotations

import django_filters
from django import forms

from properties.models import Block, Estate
from repairs.models import OPEN_STATES, Channel, JobState, Priority, Trade, WorkTeam

from . import selectors

DUE_CHOICES = [("overdue", "Overdue"), ("soon", "Due in the next 2 days")]
YES = [("yes", "Yes")]


class QueueFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(
        choices=JobState.choices, widget=forms.CheckboxSelectMultiple, label="State"
    )
    open = django_filters.ChoiceFilter(
        choices=[("yes", "Open jobs only")], method="filter_open", label="Open", empty_label="All jobs"
    )
    trade = django_filters.ModelMultipleChoiceFilter(
        queryset=Trade.objects.all(), widget=forms.CheckboxSelectMultiple, label="Trade"
    )
    priority = django_filters.ModelMultipleChoiceFilter(
        queryset=Priority.objects.all(), widget=forms.CheckboxSelectMultiple, label="Priority"
    )
    due = django_filters.ChoiceFilter(
        choices=DUE_CHOICES, method="filter_due", label="Due", empty_label="Any"
    )
    estate = django_filters.ModelChoiceFilter(
        queryset=Estate.objects.order_by("name"), method="filter_estate", label="Estate", empty_label="Any"
    )
    block = django_filters.ModelChoiceFilter(
        queryset=Block.objects.order_by("name"), method="filter_block", label="Block", empty_label="Any"
    )
    assignee = django_filters.ModelChoiceFilter(
        queryset=WorkTeam.objects.all(), label="Team or contractor", empty_label="Any"
    )
    communal = django_filters.ChoiceFilter(
        choices=[("yes", "Communal areas"), ("no", "Homes")],
        method="filter_communal",
        label="Where",
        empty_label="Homes and communal areas",
    )
    channel = django_filters.MultipleChoiceFilter(
        choices=Channel.choices, widget=forms.CheckboxSelectMultiple, label="Reported by"
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

    def filter_open(self, jobs, name, value):
        return jobs.filter(state__in=OPEN_STATES) if value == "yes" else jobs

    def filter_due(self, jobs, name, value):
        if value == "overdue":
            return selectors.overdue(jobs)
        return selectors.due_soon(jobs) if value == "soon" else jobs

    def filter_estate(self, jobs, name, value):
        return selectors.on_estate(jobs, value.pk) if value else jobs

    def filter_block(self, jobs, name, value):
        return selectors.in_block(jobs, value.pk) if value else jobs

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
