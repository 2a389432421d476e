"""Reads the back-office pages share: the queue's rows and one job with everything staff need.

Related rows are chosen here once (`select_related` for one-to-one facts, `prefetch_related` for lists),
so each page runs the same number of queries whatever the number of jobs, reports or events.
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from properties.models import Alert, AsbestosRecord, Block, CommunalArea, Property
from repairs.models import OPEN_STATES, Job, JobQuerySet, Report
from scheduling.models import Appointment, NeedsBooking
from scheduling.routing import CALL_BACK_REASON
from workflows.models import JobEvent

DUE_SOON = datetime.timedelta(days=2)


def queue_rows(jobs: JobQuerySet) -> JobQuerySet:
    """The queue's columns in one query: place, trade, priority, team, and the booking queue flags."""
    waiting = NeedsBooking.objects.filter(job=OuterRef("pk"), resolved_at__isnull=True)
    return jobs.select_related(
        "trade",
        "priority",
        "assignee",
        "property",
        "communal_area__block",
        "communal_area__estate",
    ).annotate(
        waiting_for_booking=Exists(waiting.exclude(reason=CALL_BACK_REASON)),
        waiting_for_call_back=Exists(waiting.filter(reason=CALL_BACK_REASON)),
    )


def overdue(jobs: JobQuerySet, now: datetime.datetime | None = None) -> JobQuerySet:
    return jobs.overdue(now or timezone.now())


def due_soon(jobs: JobQuerySet, now: datetime.datetime | None = None) -> JobQuerySet:
    now = now or timezone.now()
    return jobs.open().filter(due_at__gte=now, due_at__lt=now + DUE_SOON)


def needing_booking(jobs: JobQuerySet) -> JobQuerySet:
    waiting = NeedsBooking.objects.filter(job=OuterRef("pk"), resolved_at__isnull=True)
    return jobs.filter(Exists(waiting.exclude(reason=CALL_BACK_REASON)))


def needing_call_back(jobs: JobQuerySet) -> JobQuerySet:
    waiting = NeedsBooking.objects.filter(job=OuterRef("pk"), resolved_at__isnull=True)
    return jobs.filter(Exists(waiting.filter(reason=CALL_BACK_REASON)))


def on_estate(jobs: JobQuerySet, estate_id: int) -> JobQuerySet:
    """Homes in the estate's blocks, and communal areas of its blocks or of the estate itself.

    Places are found first (`IN (subquery)`), not joined, so the job query keeps one row per job.
    """
    homes = Property.objects.filter(block__estate_id=estate_id).values("pk")
    areas = CommunalArea.objects.filter(Q(block__estate_id=estate_id) | Q(estate_id=estate_id)).values("pk")
    return jobs.filter(Q(property_id__in=homes) | Q(communal_area_id__in=areas))


def in_block_with_code(jobs: JobQuerySet, code: str) -> JobQuerySet:
    """Jobs in the homes and communal areas of the block with this code (any case); none if no such block."""
    return in_blocks(jobs, Block.objects.filter(code__iexact=code))


def in_blocks(jobs: JobQuerySet, blocks: QuerySet[Block]) -> JobQuerySet:
    ids = blocks.values("pk")
    homes = Property.objects.filter(block_id__in=ids).values("pk")
    areas = CommunalArea.objects.filter(block_id__in=ids).values("pk")
    return jobs.filter(Q(property_id__in=homes) | Q(communal_area_id__in=areas))


def job_for_staff(jobs: JobQuerySet, pk: int) -> Job:
    """One job with its reports, photos, appointments and places, or `Job.DoesNotExist`."""
    return (
        jobs.select_related(
            "trade",
            "priority",
            "assignee",
            "sor_code",
            "merged_into",
            "follows",
            "property__block__estate",
            "communal_area__block__estate",
            "communal_area__estate",
        )
        .prefetch_related(
            Prefetch("reports", queryset=Report.objects.select_related("reporter_property", "created_by")),
            "reports__photos",
            Prefetch(
                "appointments",
                queryset=Appointment.objects.select_related("connection").order_by("-created_at", "-id"),
            ),
            Prefetch("booking_queue", queryset=NeedsBooking.objects.filter(resolved_at__isnull=True)),
        )
        .get(pk=pk)
    )


def staff_timeline(job: Job) -> QuerySet[JobEvent]:
    """Every event, public and internal, newest first (the whole history, for staff)."""
    return JobEvent.objects.filter(job=job).order_by("-occurred_at", "-id")


def safety_records(job: Job) -> tuple[list[Alert], list[AsbestosRecord]]:
    """The home's current alerts and the asbestos records of the home or communal area (two queries)."""
    alerts = list(Alert.objects.current().filter(property_id=job.property_id)) if job.property_id else []
    where = Q(property_id=job.property_id) if job.property_id else Q(communal_area_id=job.communal_area_id)
    return alerts, list(AsbestosRecord.objects.filter(where))


def open_duplicates(job: Job) -> JobQuerySet:
    """Other open jobs at the same place for the same trade: candidates to merge this one into."""
    place = Q(property_id=job.property_id) if job.property_id else Q(communal_area_id=job.communal_area_id)
    return (
        Job.objects.filter(place, trade_id=job.trade_id, state__in=OPEN_STATES)
        .exclude(pk=job.pk)
        .order_by("created_at", "id")
    )


def property_for_staff(pk: int) -> Property:
    return (
        Property.objects.select_related("block__estate")
        .prefetch_related("tenancies__contacts", "block__communal_areas")
        .get(pk=pk)
    )


def repair_history(property: Property) -> JobQuerySet:
    """Jobs in the home and in its block's communal areas, newest first, with their costs."""
    where = Q(property=property)
    if property.block_id:
        where |= Q(communal_area__block_id=property.block_id)
    return (
        Job.objects.filter(where)
        .select_related("trade", "priority", "communal_area")
        .order_by("-created_at", "-id")
    )
