"""Writing the outbox: which rules an event sets off, who each message goes to, and the rows themselves.

Called inside the transaction that records the cause (a `JobEvent` being saved, a reminder run), so
the rows commit or roll back with it. Sending is queued only once that transaction has committed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from repairs.models import Job, JobState, Report, UpdatePreference
from scheduling.models import Appointment
from workflows.models import JobEvent

from .models import (
    APPOINTMENT_KINDS,
    Audience,
    Channel,
    EventKind,
    Message,
    NotificationRule,
    Trigger,
    staff_addresses,
)
from .personalisation import Context, personalisation_for

logger = logging.getLogger(__name__)

# Events about one resident's own report: only that resident is told, not every reporter of the job.
ABOUT_ONE_REPORT = frozenset({EventKind.REPORT_RECEIVED, EventKind.NEIGHBOUR_REPORTED})


@dataclass(frozen=True)
class Recipient:
    channel: str
    address: str
    report: Report | None = None


def rules_for_event(event: JobEvent, job: Job) -> list[NotificationRule]:
    """Active rules for this job's trade and priority that the event sets off."""
    matches = Q(trigger=Trigger.EVENT, event=event.action)
    if event.from_state != event.to_state:
        matches |= Q(trigger=Trigger.STATE, state=event.to_state)
    rules = NotificationRule.objects.for_job(job).filter(matches).select_related("staff_group")
    # Residents hear only of what their status page shows.
    return [r for r in rules if r.audience != Audience.REPORTERS or event.is_public]


def queue_for_event(event: JobEvent) -> list[int]:
    """Outbox rows for every rule `event` sets off; returns the new rows' ids (queued after commit)."""
    rules = rules_for_event(event, event.job)  # the caller's job: no query when no rule matches
    if not rules:
        return []
    job = Job.objects.select_related("trade", "priority", "property", "communal_area", "assignee").get(
        pk=event.job_id
    )
    appointment = latest_appointment(job)
    only = None
    if event.action in ABOUT_ONE_REPORT:
        only = job.reports.order_by("-created_at", "-id").first()
    context = Context(job=job, event=event, appointment=appointment)
    ids: list[int] = []
    for rule in rules:
        about_visit = event.action in APPOINTMENT_KINDS or (
            rule.trigger == Trigger.STATE and rule.state == JobState.SCHEDULED
        )
        ids += _queue(
            rule,
            context,
            purpose=event.action if rule.trigger == Trigger.EVENT else rule.state,
            key=f"event{event.pk}",
            about_visit=about_visit,
            only=only,
        )
    return ids


def queue_for_kind(kind: str, *, job: Job, key: str, appointment: Appointment | None = None) -> list[int]:
    """Outbox rows for a timed event (a reminder, a due-date alert); `key` makes each sent once."""
    rules = NotificationRule.objects.for_job(job).filter(trigger=Trigger.EVENT, event=kind)
    context = Context(job=job, appointment=appointment or latest_appointment(job))
    ids: list[int] = []
    for rule in rules.select_related("staff_group"):
        ids += _queue(rule, context, purpose=kind, key=key, about_visit=kind in APPOINTMENT_KINDS)
    return ids


def latest_appointment(job: Job) -> Appointment | None:
    return (
        Appointment.objects.filter(job=job)
        .select_related("connection")
        .order_by("-created_at", "-id")
        .first()
    )


def _queue(
    rule: NotificationRule,
    context: Context,
    *,
    purpose: str,
    key: str,
    about_visit: bool,
    only: Report | None = None,
) -> list[int]:
    appointment = context.appointment
    if (
        about_visit
        and rule.audience == Audience.REPORTERS
        and appointment is not None
        and appointment.connection.sends_own_messages
    ):
        return []  # the scheduler tells residents about their visits itself
    ids = []
    for recipient in recipients(rule, context.job, only=only):
        template_id = rule.email_template_id if recipient.channel == Channel.EMAIL else rule.sms_template_id
        for_resident = rule.audience == Audience.REPORTERS
        personal, sanitise = personalisation_for(
            rule.field_names,
            Context(job=context.job, event=context.event, report=recipient.report, appointment=appointment),
            channel=recipient.channel,
            for_resident=for_resident,
        )
        message = Message(
            job=context.job,
            report=recipient.report,
            event=context.event,
            rule=rule,
            purpose=purpose,
            audience=rule.audience,
            channel=recipient.channel,
            recipient=recipient.address,
            template_id=template_id,
            personalisation=personal,
            sanitise_fields=sanitise,
            dedupe_key=f"{key}:rule{rule.pk}:{recipient.channel}:{recipient.address.lower()}"[:255],
        )
        try:
            with transaction.atomic():  # a savepoint: a duplicate leaves the caller's transaction intact
                message.save()
        except IntegrityError:
            continue  # already told about this once
        ids.append(message.pk)
    return ids


def recipients(rule: NotificationRule, job: Job, *, only: Report | None = None) -> Iterator[Recipient]:
    """Who a rule's message goes to, each on the channel they chose, each address once."""
    seen: set[tuple[str, str]] = set()
    for recipient in _candidates(rule, job, only):
        template = rule.email_template_id if recipient.channel == Channel.EMAIL else rule.sms_template_id
        marker = (recipient.channel, recipient.address.lower())
        if template and recipient.address and marker not in seen:
            seen.add(marker)
            yield recipient


def _candidates(rule: NotificationRule, job: Job, only: Report | None) -> Iterable[Recipient]:
    if rule.audience == Audience.REPORTERS:
        reports = [only] if only is not None else list(job.reports.live().order_by("created_at", "id"))
        for report in reports:
            if report.update_preference == UpdatePreference.EMAIL:
                yield Recipient(Channel.EMAIL, report.contact_email.strip(), report)
            elif report.update_preference == UpdatePreference.SMS:
                yield Recipient(Channel.SMS, report.contact_phone.strip(), report)
    elif rule.audience == Audience.STAFF:
        if rule.staff_email:
            yield Recipient(Channel.EMAIL, rule.staff_email)
        for address in staff_addresses(rule.staff_group):
            yield Recipient(Channel.EMAIL, address)
    elif rule.audience == Audience.CONTRACTOR and job.assignee_id:
        team = job.assignee
        if team.email and rule.email_template_id:
            yield Recipient(Channel.EMAIL, team.email)
        elif team.phone and rule.sms_template_id:
            yield Recipient(Channel.SMS, team.phone)


def enqueue_after_commit(ids: list[int]) -> None:
    """Hand the new rows to Celery once the caller's transaction has committed."""
    if ids:
        transaction.on_commit(lambda: enqueue(ids))


def enqueue(ids: list[int]) -> None:
    """Send tasks for these rows. A broker that is down is only logged: the sweeper re-queues the rows.

    The first failure ends the loop: each try at a dead broker costs its timeouts, and the caller may be
    a resident's request."""
    from .tasks import send_message

    Message.objects.filter(pk__in=ids).update(enqueued_at=timezone.now())
    for n, message_id in enumerate(ids):
        try:
            send_message.delay(message_id)
        except Exception:  # kombu raises many kinds of connection error; the rows are safe either way
            left = len(ids) - n - 1
            logger.exception(
                "Could not queue message %s and %s more; the sweeper will pick it up", message_id, left
            )
            return
