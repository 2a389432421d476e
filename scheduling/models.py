"""What scheduling stores: scheduler connections, routing rules, appointments, the built-in
calendar (operatives, working hours, closures, team feeds) and the "needs booking" queue.

Routing lives here rather than in `workflows` so the lifecycle never learns about schedulers: a rule
says, for a trade in a home or a communal area, which scheduler books it, which team or contractor
does it, and whether residents may choose a slot online. Administrators edit rules in the Wagtail
admin; a change applies to the next job without a deploy.
"""

from __future__ import annotations

import datetime
import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy

from repairs.models import Job, Trade, WorkTeam

from .encryption import EncryptedTextField


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class SchedulerKind(models.TextChoices):
    BUILTIN = "builtin", "Built-in calendar"
    CONTRACTOR = "contractor", "Contractor arranges the visit"
    DRS = "drs", "Kirona DRS (SOAP)"
    TOTALMOBILE = "totalmobile", "Total Mobile (REST)"
    CALDAV = "caldav", "Shared calendar (CalDAV)"


class SchedulerConnection(models.Model):
    """One scheduler a council uses, with what it takes to reach it. Fields unused by a kind stay blank.

    Passwords and secrets are encrypted at rest (`encryption.EncryptedTextField`).
    """

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=SchedulerKind.choices)
    endpoint_url = models.URLField(
        blank=True, help_text="DRS web service URL, Total Mobile base URL, or calendar URL."
    )
    username = models.CharField(max_length=150, blank=True, help_text="DRS login or CalDAV user.")
    password = EncryptedTextField(max_length=255, blank=True)
    client_id = models.CharField(max_length=255, blank=True, help_text="Total Mobile OAuth client id.")
    client_secret = EncryptedTextField(max_length=255, blank=True)
    instance = models.CharField(max_length=100, blank=True, help_text="Total Mobile instance name.")
    world = models.CharField(max_length=100, blank=True, help_text="Total Mobile world (dispatch area).")
    contract = models.CharField(max_length=50, blank=True, help_text="DRS contract code for orders.")
    inbound_username = models.CharField(
        max_length=150, blank=True, help_text="User name the scheduler sends with its updates to us."
    )
    inbound_secret = EncryptedTextField(
        max_length=255, blank=True, help_text="Shared secret the scheduler sends with its updates to us."
    )
    timeout_seconds = models.PositiveIntegerField(default=10)
    options = models.JSONField(
        default=dict,
        blank=True,
        help_text="Settings one kind of scheduler needs and others do not (for example a WSDL URL).",
    )
    sends_own_messages = models.BooleanField(
        default=False,
        help_text="The scheduler texts or emails residents about their appointments itself: we do not.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LocationKind(models.TextChoices):
    ANY = "any", "Homes and communal areas"
    HOME = "home", "In a home"
    COMMUNAL = "communal", "Communal area"


class RoutingRuleQuerySet(models.QuerySet):
    def matching(self, job: Job) -> RoutingRuleQuerySet:
        """Active rules that fit the job, most specific first (a named trade before "any trade")."""
        location = LocationKind.COMMUNAL if job.is_communal else LocationKind.HOME
        return (
            self.filter(is_active=True, connection__is_active=True)
            .filter(Q(trade=job.trade_id) | Q(trade__isnull=True))
            .filter(location__in=[location, LocationKind.ANY])
            .order_by(models.F("trade").asc(nulls_last=True), "sort_order", "id")
        )


class RoutingRule(models.Model):
    """Trade (+ home or communal) → which scheduler, which team or contractor, bookable online or not."""

    trade = models.ForeignKey(
        Trade, on_delete=models.CASCADE, null=True, blank=True, help_text="Leave empty to match any trade."
    )
    location = models.CharField(max_length=10, choices=LocationKind.choices, default=LocationKind.ANY)
    connection = models.ForeignKey(
        SchedulerConnection, on_delete=models.PROTECT, related_name="rules", verbose_name="scheduler"
    )
    team = models.ForeignKey(
        WorkTeam,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text="The in-house team or contractor that does the work.",
    )
    residents_book_online = models.BooleanField(
        default=True, help_text="Off: residents are told who will contact them instead of choosing a slot."
    )
    contact_within_days = models.PositiveIntegerField(
        default=3, help_text="Working days within which a contractor contacts the resident."
    )
    sort_order = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True)

    objects = RoutingRuleQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "id"]

    def __str__(self) -> str:
        trade = self.trade.name if self.trade_id else "Any trade"
        return f"{trade} ({self.get_location_display().lower()}) → {self.connection}"


# --- The built-in calendar ---------------------------------------------------------------------


class SlotShape(models.TextChoices):
    MORNING = "am", gettext_lazy("Morning (8am to 12pm)")
    AFTERNOON = "pm", gettext_lazy("Afternoon (12pm to 4pm)")
    SCHOOL_RUN = "school", gettext_lazy("School run (9:30am to 3pm)")
    ALL_DAY = "allday", gettext_lazy("All day (8am to 4pm)")


SLOT_TIMES: dict[str, tuple[datetime.time, datetime.time]] = {
    SlotShape.MORNING: (datetime.time(8), datetime.time(12)),
    SlotShape.AFTERNOON: (datetime.time(12), datetime.time(16)),
    SlotShape.SCHOOL_RUN: (datetime.time(9, 30), datetime.time(15)),
    SlotShape.ALL_DAY: (datetime.time(8), datetime.time(16)),
}


class TeamCalendar(models.Model):
    """A team's booking settings in the built-in calendar, and the secret token of its iCalendar feed."""

    team = models.OneToOneField(WorkTeam, on_delete=models.CASCADE, related_name="calendar")
    slot_shapes = models.JSONField(
        default=list, blank=True, help_text="Slot shapes offered: am, pm, school, allday (empty: am and pm)."
    )
    lead_days = models.PositiveIntegerField(
        default=1, help_text="Days' notice before the first bookable slot."
    )
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)

    def __str__(self) -> str:
        return f"Calendar of {self.team}"

    @property
    def shapes(self) -> list[str]:
        return [s for s in (self.slot_shapes or [SlotShape.MORNING, SlotShape.AFTERNOON]) if s in SLOT_TIMES]


class Operative(models.Model):
    team = models.ForeignKey(WorkTeam, on_delete=models.CASCADE, related_name="operatives")
    name = models.CharField(max_length=150)
    trades = models.ManyToManyField(Trade, related_name="operatives")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["team", "name"]

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class WorkingHours(models.Model):
    """An operative's working pattern: the hours they work on one weekday."""

    operative = models.ForeignKey(Operative, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField(default=datetime.time(8))
    ends = models.TimeField(default=datetime.time(16))

    class Meta:
        ordering = ["operative", "weekday"]
        verbose_name_plural = "working hours"
        constraints = [
            models.UniqueConstraint(fields=["operative", "weekday"], name="one_pattern_per_operative_day"),
            models.CheckConstraint(
                condition=Q(ends__gt=models.F("starts")), name="working_hours_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operative}: {self.get_weekday_display()} {self.starts:%H:%M} to {self.ends:%H:%M}"


class Closure(models.Model):
    """Days nobody (or one team, or one operative) can be booked: training, leave, a depot closure."""

    team = models.ForeignKey(
        WorkTeam, on_delete=models.CASCADE, null=True, blank=True, related_name="closures"
    )
    operative = models.ForeignKey(
        Operative, on_delete=models.CASCADE, null=True, blank=True, related_name="closures"
    )
    starts_on = models.DateField()
    ends_on = models.DateField()
    reason = models.CharField(max_length=150)

    class Meta:
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="closure_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({self.starts_on} to {self.ends_on})"


class CalendarBooking(models.Model):
    """A visit held in the built-in calendar: the built-in scheduler's own record, like DRS's orders.

    Capacity is counted from these rows; booking locks the operatives' rows first so two residents
    racing for the last slot cannot both get it.
    """

    wagtail_reference_index_ignore = True  # operational rows: see docs/performance.md, reference index

    job_reference = models.CharField(max_length=50, db_index=True)
    operative = models.ForeignKey(Operative, on_delete=models.PROTECT, related_name="bookings")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    shape = models.CharField(max_length=10, choices=SlotShape.choices, blank=True)
    minutes = models.PositiveIntegerField()
    address = models.CharField(max_length=255, blank=True)
    trade = models.CharField(max_length=20, blank=True)
    is_cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["job_reference"], condition=Q(is_cancelled=False), name="one_calendar_booking_per_job"
            )
        ]
        indexes = [models.Index(fields=["operative", "is_cancelled", "starts_at"], name="calendar_capacity")]

    def __str__(self) -> str:
        return (
            f"{self.job_reference} with {self.operative} at {timezone.localtime(self.starts_at):%d %b %H:%M}"
        )


# --- Appointments and the queue ----------------------------------------------------------------


class AppointmentStatus(models.TextChoices):
    REQUESTED = "requested", "Waiting for the scheduler"
    BOOKED = "booked", "Booked"
    WITH_CONTRACTOR = "with_contractor", "Contractor will arrange"
    CANCELLED = "cancelled", "Cancelled"
    NO_ACCESS = "no_access", "No access at the visit"
    FAILED = "failed", "Could not be booked"


LIVE_STATUSES = [AppointmentStatus.REQUESTED, AppointmentStatus.BOOKED, AppointmentStatus.WITH_CONTRACTOR]


class Appointment(models.Model):
    """A job's visit as the scheduler holds it. At most one live appointment per job."""

    wagtail_reference_index_ignore = True  # operational rows: see docs/performance.md, reference index

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="appointments")
    connection = models.ForeignKey(SchedulerConnection, on_delete=models.PROTECT, related_name="appointments")
    adapter_key = models.CharField(max_length=20, choices=SchedulerKind.choices)
    status = models.CharField(
        max_length=20, choices=AppointmentStatus.choices, default=AppointmentStatus.REQUESTED
    )
    external_ref = models.CharField(max_length=150, blank=True, db_index=True)
    booking_ref = models.CharField(max_length=150, blank=True, db_index=True)
    starts_at = models.DateTimeField(null=True, blank=True, db_index=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    minutes = models.PositiveIntegerField(
        default=60, help_text="Time the job takes, counted against capacity."
    )
    operative_name = models.CharField(max_length=150, blank=True)
    message = models.TextField(blank=True, help_text="What the resident is told.")
    calendar_token = models.CharField(max_length=64, unique=True, default=new_feed_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["job"], condition=Q(status__in=LIVE_STATUSES), name="one_live_appointment_per_job"
            )
        ]

    def __str__(self) -> str:
        when = timezone.localtime(self.starts_at).strftime("%d %b %Y %H:%M") if self.starts_at else "no time"
        return f"Job {self.job_id}: {when} ({self.get_status_display()})"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class NeedsBookingQuerySet(models.QuerySet):
    def waiting(self) -> NeedsBookingQuerySet:
        return self.filter(resolved_at__isnull=True)

    def due(self, now: datetime.datetime) -> NeedsBookingQuerySet:
        return self.waiting().filter(next_attempt_at__lte=now)


class NeedsBooking(models.Model):
    """A job whose booking has not reached the scheduler yet. Retried until done or resolved by staff.

    The resident's report is never lost because a scheduler is down: it waits here, visibly.
    """

    wagtail_reference_index_ignore = True  # operational rows: see docs/performance.md, reference index

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="booking_queue")
    appointment = models.ForeignKey(
        Appointment, on_delete=models.SET_NULL, null=True, blank=True, related_name="queue_entries"
    )
    reason = models.CharField(max_length=255)
    last_error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    retryable = models.BooleanField(default=True, help_text="Off: staff must book it by hand.")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = NeedsBookingQuerySet.as_manager()

    class Meta:
        ordering = ["next_attempt_at", "id"]
        verbose_name = "job needing booking"
        verbose_name_plural = "jobs needing booking"
        constraints = [
            models.UniqueConstraint(
                fields=["job"], condition=Q(resolved_at__isnull=True), name="one_open_queue_entry_per_job"
            )
        ]

    def __str__(self) -> str:
        return f"Job {self.job_id}: {self.reason}"
