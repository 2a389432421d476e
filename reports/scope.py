"""What a reports page or an export is about: a period of days (London time) and the jobs' filters.

One form parses the query string for the page and the downloads alike, so a download always holds the
figures the manager was looking at. The filters become `Q` objects with a path prefix, so the same
choice narrows jobs (`""`), their events (`"job__"`) or their reports (`"job__"`) without a subquery.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import Q
from django.utils import timezone

from properties.models import Estate
from repairs.models import Channel, Priority, Trade, WorkTeam

LONDON = ZoneInfo("Europe/London")
DEFAULT_WEEKS = 12
LONGEST_PERIOD = datetime.timedelta(days=3 * 366)
DATE_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d-%m-%Y"]


def today() -> datetime.date:
    return timezone.localtime(timezone.now(), LONDON).date()


@dataclass(frozen=True)
class Scope:
    """A period (`start` to `end`, both days included) and the jobs it covers."""

    start: datetime.date
    end: datetime.date
    trades: tuple[int, ...] = ()
    priorities: tuple[int, ...] = ()
    estate: int | None = None
    assignee: int | None = None
    channels: tuple[str, ...] = field(default=())

    @property
    def start_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.start, datetime.time.min, tzinfo=LONDON)

    @property
    def end_at(self) -> datetime.datetime:
        """The first moment after the period (midnight after `end`), for `< end_at` comparisons."""
        return datetime.datetime.combine(
            self.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=LONDON
        )

    def within(self, path: str) -> Q:
        """`path` (a date-time lookup such as "created_at") falls in the period."""
        return Q(**{f"{path}__gte": self.start_at, f"{path}__lt": self.end_at})

    def jobs_q(self, prefix: str = "") -> Q:
        """The filters on jobs, reached through `prefix` ("" for jobs, "job__" for events or reports)."""
        where = Q()
        if self.trades:
            where &= Q(**{f"{prefix}trade_id__in": self.trades})
        if self.priorities:
            where &= Q(**{f"{prefix}priority_id__in": self.priorities})
        if self.assignee:
            where &= Q(**{f"{prefix}assignee_id": self.assignee})
        if self.channels:
            where &= Q(**{f"{prefix}channel__in": self.channels})
        if self.estate:
            where &= (
                Q(**{f"{prefix}property__block__estate_id": self.estate})
                | Q(**{f"{prefix}communal_area__block__estate_id": self.estate})
                | Q(**{f"{prefix}communal_area__estate_id": self.estate})
            )
        return where

    def summary_q(self) -> Q:
        """The period and filters on `JobDaySummary` rows (an estate is the job's estate, stored once)."""
        where = Q(day__gte=self.start, day__lte=self.end)
        if self.trades:
            where &= Q(trade_id__in=self.trades)
        if self.priorities:
            where &= Q(priority_id__in=self.priorities)
        if self.assignee:
            where &= Q(assignee_id=self.assignee)
        if self.channels:
            where &= Q(channel__in=self.channels)
        if self.estate:
            where &= Q(estate_id=self.estate)
        return where

    def file_stem(self, name: str, version: int) -> str:
        return f"{name}-v{version}-{self.start:%Y-%m-%d}-to-{self.end:%Y-%m-%d}"


def default_period() -> tuple[datetime.date, datetime.date]:
    """The last twelve whole weeks to today: long enough for a trend, short enough to read."""
    end = today()
    return end - datetime.timedelta(weeks=DEFAULT_WEEKS) + datetime.timedelta(days=1), end


class ScopeForm(forms.Form):
    start = forms.DateField(
        label="From", input_formats=DATE_FORMATS, required=False, help_text="For example, 1/4/2026"
    )
    end = forms.DateField(label="To", input_formats=DATE_FORMATS, required=False, help_text="Days included")
    trade = forms.ModelMultipleChoiceField(
        queryset=Trade.objects.all(), widget=forms.CheckboxSelectMultiple, required=False, label="Trade"
    )
    priority = forms.ModelMultipleChoiceField(
        queryset=Priority.objects.all(), widget=forms.CheckboxSelectMultiple, required=False, label="Priority"
    )
    estate = forms.ModelChoiceField(
        queryset=Estate.objects.order_by("name"), required=False, label="Estate", empty_label="Any"
    )
    assignee = forms.ModelChoiceField(
        queryset=WorkTeam.objects.all(), required=False, label="Team or contractor", empty_label="Any"
    )
    channel = forms.MultipleChoiceField(
        choices=Channel.choices, widget=forms.CheckboxSelectMultiple, required=False, label="Reported by"
    )

    def __init__(self, data=None, **kwargs) -> None:
        super().__init__(data, **kwargs)
        start, end = default_period()
        self.fields["start"].initial, self.fields["end"].initial = start, end

    def clean(self) -> dict:
        data = super().clean()
        default_start, default_end = default_period()
        start = data.get("start") or default_start
        end = data.get("end") or default_end
        if "start" in self.errors or "end" in self.errors:
            return data
        if start > end:
            self.add_error("end", "The end date must be the same as or after the start date.")
        elif end - start > LONGEST_PERIOD:
            self.add_error("start", "Choose a period of three years or less.")
        data["start"], data["end"] = start, end
        return data

    def scope(self) -> Scope:
        """The scope asked for; call after `is_valid()`. An unbound form gives the default scope."""
        data = self.cleaned_data if self.is_bound else {}
        start, end = default_period()
        return Scope(
            start=data.get("start") or start,
            end=data.get("end") or end,
            trades=tuple(sorted(t.pk for t in data.get("trade") or ())),
            priorities=tuple(sorted(p.pk for p in data.get("priority") or ())),
            estate=data["estate"].pk if data.get("estate") else None,
            assignee=data["assignee"].pk if data.get("assignee") else None,
            channels=tuple(sorted(data.get("channel") or ())),
        )

    def selected(self) -> list[str]:
        """The filters in words, for the "Selected filters" list."""
        if not self.is_bound or not self.is_valid():
            return []
        data = self.cleaned_data
        words = [f"{t}" for t in data.get("trade") or ()]
        words += [f"{p}" for p in data.get("priority") or ()]
        words += [f"Estate: {data['estate']}"] if data.get("estate") else []
        words += [f"{data['assignee']}"] if data.get("assignee") else []
        words += [f"Reported by {Channel(c).label.lower()}" for c in data.get("channel") or ()]
        return words
