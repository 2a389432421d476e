"""Reads the notifications tasks, admin and back office share."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from repairs.models import Job
from scheduling.models import Appointment, AppointmentStatus

from .models import UNREACHABLE_STATUSES, Message, MessageStatus


def unreachable_messages(job: Job) -> QuerySet[Message]:
    """Messages to this job's people that never arrived, newest first: someone should phone them."""
    return (
        Message.objects.filter(job=job, status__in=UNREACHABLE_STATUSES)
        .select_related("report")
        .order_by("-created_at", "-id")
    )


def all_unreachable() -> QuerySet[Message]:
    return Message.objects.filter(status__in=UNREACHABLE_STATUSES).select_related("job", "report")


def jobs_about_to_breach(*, now: datetime.datetime, within: datetime.timedelta) -> QuerySet[Job]:
    """Open jobs not yet past their due date that will be within `within` (repairs' `overdue`, ahead)."""
    return (
        Job.objects.open()
        .filter(due_at__gt=now, due_at__lte=now + within)
        .select_related("trade", "priority", "property", "communal_area", "assignee")
    )


def appointments_on(day: datetime.date) -> QuerySet[Appointment]:
    """Booked visits starting on `day` in the council's time zone."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
    end = start + datetime.timedelta(days=1)
    return Appointment.objects.filter(
        status=AppointmentStatus.BOOKED, starts_at__gte=start, starts_at__lt=end
    ).select_related("job__trade", "job__priority", "job__property", "job__communal_area", "connection")


def messages_to_sweep(
    *, now: datetime.datetime, sweep_after: datetime.timedelta, claim_timeout: datetime.timedelta
):
    """Rows left unsent: queued and due but not handed to a worker lately, or claimed by a worker
    that has not finished in time (it stopped, or lost its task)."""
    waiting = Q(status=MessageStatus.QUEUED, next_attempt_at__lte=now) & (
        Q(enqueued_at__isnull=True) | Q(enqueued_at__lte=now - sweep_after)
    )
    abandoned = Q(status=MessageStatus.SENDING, claimed_at__lte=now - claim_timeout)
    return Message.objects.filter(waiting | abandoned).order_by("next_attempt_at", "id")
