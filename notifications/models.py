"""What notifications stores: the rules administrators edit, and the outbox of messages.

A `Message` row is written in the same database transaction as the `JobEvent` that causes it, so a
message is never lost (the event committed, the message with it) and never invented (the event rolled
back, the message with it). A Celery task sends each row; a sweeper re-queues any left behind.
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from repairs.models import Job, JobState, Priority, Report, Trade
from workflows.models import JobEvent

from .fields import check_field_names, fields_in_preview, parse_field_names

# Template ids the default rules ship with: the sender refuses them with a real API key.
PLACEHOLDER_TEMPLATE_PREFIX = "00000000-0000-0000-0000-"


class Trigger(models.TextChoices):
    STATE = "state", "The job enters a state"
    EVENT = "event", "Something happens to the job"


class EventKind(models.TextChoices):
    """Public events other apps record, and the two the notifications app raises on a timer."""

    REPORT_RECEIVED = "report_received", "Report received"
    NEIGHBOUR_REPORTED = "neighbour_reported", "A neighbour joined a communal job"
    APPOINTMENT_BOOKED = "appointment_booked", "Appointment booked"
    APPOINTMENT_MOVED = "appointment_moved", "Appointment moved"
    APPOINTMENT_CANCELLED = "appointment_cancelled", "Appointment cancelled"
    OPERATIVE_ON_THE_WAY = "operative_on_the_way", "Operative on the way"
    OPERATIVE_ARRIVED = "operative_arrived", "Operative arrived"
    CONTRACTOR_WILL_CONTACT = "contractor_will_contact", "Contractor will contact the resident"
    APPOINTMENT_REMINDER = "appointment_reminder", "Appointment tomorrow (reminder, sent the day before)"
    DUE_SOON = "due_soon", "Job about to pass its due date"
    # Awaab's Law hazard cases (workflows.hazards): the written summary, and the clocks' staff alerts.
    HAZARD_SUMMARY_SENT = "hazard_summary_sent", "Hazard: written summary of the findings sent"
    HAZARD_CLOCK_ALERT = "hazard_clock_alert", "Hazard: half or 80% of a stage's time has gone"
    HAZARD_CLOCK_BREACHED = "hazard_clock_breached", "Hazard: a stage has passed its due time"
    # The resident hears of each other step the law sets a time for, as their status page shows it.
    HAZARD_TREATED_AS_EMERGENCY = "hazard_treated_as_emergency", "Hazard: treated as an emergency"
    HAZARD_INVESTIGATED = "hazard_investigated", "Hazard: inspection done"
    HAZARD_MADE_SAFE = "hazard_made_safe", "Hazard: home made safe"
    HAZARD_FURTHER_WORK_STARTED = "hazard_further_work_started", "Hazard: further work started"
    HAZARD_FURTHER_WORK_LATER = "hazard_further_work_later", "Hazard: further work needs more time"
    HAZARD_ALTERNATIVE_OFFERED = "hazard_alternative_offered", "Hazard: somewhere else to stay offered"


# Messages about a visit: not sent to residents when the scheduler sends its own.
APPOINTMENT_KINDS = frozenset(
    {
        EventKind.APPOINTMENT_BOOKED,
        EventKind.APPOINTMENT_MOVED,
        EventKind.APPOINTMENT_CANCELLED,
        EventKind.OPERATIVE_ON_THE_WAY,
        EventKind.OPERATIVE_ARRIVED,
        EventKind.APPOINTMENT_REMINDER,
        "schedule",
        "unschedule",
    }
)


class Audience(models.TextChoices):
    REPORTERS = "reporters", "Residents who reported it (each by their own choice of email or text)"
    STAFF = "staff", "Staff (an email address or a group)"
    CONTRACTOR = "contractor", "The team or contractor assigned to the job"


class NotificationRuleQuerySet(models.QuerySet):
    def active(self) -> NotificationRuleQuerySet:
        return self.filter(is_active=True)

    def for_job(self, job: Job) -> NotificationRuleQuerySet:
        return (
            self.active()
            .filter(Q(trade__isnull=True) | Q(trade=job.trade_id))
            .filter(Q(priority__isnull=True) | Q(priority=job.priority_id))
        )


def _check_template_id(value: str) -> None:
    try:
        uuid.UUID(value)
    except ValueError:
        raise ValidationError(
            "Paste the template ID from GOV.UK Notify (Templates → the template → ID), like "
            "f33517ff-2a88-4f6e-b855-c550268ce08a."
        ) from None


class NotificationRule(models.Model):
    """On entering a state, or on an event, send a Notify template to reporters, staff or the contractor."""

    name = models.CharField(max_length=150)
    trigger = models.CharField(max_length=10, choices=Trigger.choices, default=Trigger.STATE)
    state = models.CharField(
        max_length=20, choices=JobState.choices, blank=True, help_text="For 'The job enters a state'."
    )
    event = models.CharField(
        max_length=30, choices=EventKind.choices, blank=True, help_text="For 'Something happens to the job'."
    )
    trade = models.ForeignKey(
        Trade, on_delete=models.CASCADE, null=True, blank=True, help_text="Leave empty for every trade."
    )
    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, null=True, blank=True, help_text="Leave empty for every priority."
    )
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.REPORTERS)
    staff_email = models.EmailField(blank=True, help_text="For staff: a shared inbox.")
    staff_group = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="For staff: everyone in this group with an email address.",
    )
    email_template_id = models.CharField(
        "email template ID",
        max_length=36,
        blank=True,
        validators=[_check_template_id],
        help_text="The Notify email template. Leave empty to send no email.",
    )
    sms_template_id = models.CharField(
        "text message template ID",
        max_length=36,
        blank=True,
        validators=[_check_template_id],
        help_text="The Notify text message template. Leave empty to send no text.",
    )
    personalisation = models.CharField(
        "personalisation fields",
        max_length=255,
        blank=True,
        help_text="The ((fields)) the templates use, separated by commas: reference, status_url, repair, "
        "trade, address_line, appointment, public_note, status, priority, due_date.",
    )
    preview_text = models.TextField(
        blank=True,
        help_text="The template's wording with ((fields)), used for the preview when no Notify key is set.",
    )
    is_active = models.BooleanField(default=True)

    objects = NotificationRuleQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def field_names(self) -> list[str]:
        return parse_field_names(self.personalisation)

    @property
    def uses_placeholder(self) -> bool:
        return any(
            t.startswith(PLACEHOLDER_TEMPLATE_PREFIX) for t in (self.email_template_id, self.sms_template_id)
        )

    def clean(self) -> None:
        errors: dict[str, str] = {}
        unknown = check_field_names(self.personalisation)
        if unknown:
            errors["personalisation"] = unknown
        elif self.preview_text:
            missing = sorted(set(fields_in_preview(self.preview_text)) - set(self.field_names))
            if missing:
                errors["preview_text"] = (
                    f"The preview uses {', '.join(missing)}: add them to the personalisation fields."
                )
        if self.trigger == Trigger.STATE and not self.state:
            errors["state"] = "Choose the state that sends this message."
        if self.trigger == Trigger.EVENT and not self.event:
            errors["event"] = "Choose the event that sends this message."
        if not self.email_template_id and not self.sms_template_id:
            errors["email_template_id"] = "Give at least one Notify template ID (email or text message)."
        if self.audience == Audience.STAFF:
            if not self.staff_email and not self.staff_group_id:
                errors["staff_email"] = "Give a staff email address or choose a group."
            if not self.email_template_id:
                errors["email_template_id"] = "Staff are sent email: give an email template ID."
        if errors:
            raise ValidationError(errors)


class Channel(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"


class MessageStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to send"
    SENDING = "sending", "Sending"
    SENT = "sent", "Accepted by Notify"
    DELIVERED = "delivered", "Delivered"
    PERMANENT_FAILURE = "permanent-failure", "Could not reach: address or number not in use"
    TEMPORARY_FAILURE = "temporary-failure", "Could not reach: inbox full or phone off"
    TECHNICAL_FAILURE = "technical-failure", "Notify had a technical failure"
    FAILED = "failed", "Not sent (refused)"


UNSENT_STATUSES = [MessageStatus.QUEUED, MessageStatus.SENDING]
UNREACHABLE_STATUSES = [
    MessageStatus.PERMANENT_FAILURE,
    MessageStatus.TEMPORARY_FAILURE,
    MessageStatus.FAILED,
]


def new_message_reference() -> str:
    return f"ro-{uuid.uuid4().hex}"


class Message(models.Model):
    """One message to one recipient: the outbox row and, later, what Notify said about it."""

    wagtail_reference_index_ignore = True  # operational rows: see docs/performance.md, reference index

    job = models.ForeignKey(Job, on_delete=models.CASCADE, null=True, blank=True, related_name="messages")
    report = models.ForeignKey(
        Report, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    event = models.ForeignKey(
        JobEvent, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    rule = models.ForeignKey(
        NotificationRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="messages"
    )
    purpose = models.CharField(max_length=30, help_text="The event or state that caused the message.")
    audience = models.CharField(max_length=20, choices=Audience.choices)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    recipient = models.CharField(max_length=320)
    template_id = models.CharField(max_length=36)
    personalisation = models.JSONField(default=dict, blank=True)
    sanitise_fields = models.JSONField(
        default=list, blank=True, help_text="Personalisation holding resident text, for Notify to escape."
    )
    dedupe_key = models.CharField(max_length=255, unique=True, editable=False)
    reference = models.CharField(max_length=40, unique=True, default=new_message_reference, editable=False)
    status = models.CharField(
        max_length=20, choices=MessageStatus.choices, default=MessageStatus.QUEUED, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    lookup_needed = models.BooleanField(
        default=False, help_text="A send may have reached Notify without an answer: look it up first."
    )
    notify_id = models.CharField(max_length=64, blank=True, db_index=True)
    backend = models.CharField(max_length=20, blank=True)
    failure_reason = models.TextField(blank=True)
    preview = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    status_at = models.DateTimeField(null=True, blank=True, help_text="When Notify last reported on it.")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "event", "recipient"],
                condition=Q(event__isnull=False, rule__isnull=False),
                name="one_message_per_rule_event_recipient",
            )
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="message_unsent")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.recipient}: {self.purpose}"

    @property
    def is_unreachable(self) -> bool:
        return self.status in UNREACHABLE_STATUSES


def staff_addresses(group: Group | None) -> list[str]:
    """The email addresses of active staff in `group`, for staff alerts."""
    if group is None:
        return []
    users = group.user_set.filter(is_active=True).exclude(email="").order_by("email")
    return list(dict.fromkeys(u.email for u in users))
