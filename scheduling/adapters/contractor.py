"""Contractor hand-off: no online slots. The job joins the contractor's queue and the resident is told
who will contact them and by when. The contractor's own system (or the back office) records the visit.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from workflows.sla import WorkingCalendar

from ..port import LONDON, Booking, BookingStatus, Capability, JobSpec, SchedulerAdapter, Slot


class ContractorHandoff(SchedulerAdapter):
    key = "contractor"
    label = "Contractor arranges the visit"
    capabilities = frozenset({Capability.BOOK, Capability.CANCEL})

    def __init__(
        self, connection=None, *, contractor_name: str = "", contact_within_days: int = 3, now=None
    ) -> None:
        self.connection = connection
        self.contractor_name = contractor_name or "Our contractor"
        self.contact_within_days = contact_within_days
        self._now = now or timezone.now

    def contact_by(self) -> datetime.date:
        """The date by which the contractor contacts the resident, counted in working days."""
        today = self._now().astimezone(LONDON).date()
        return WorkingCalendar.covering(today, self.contact_within_days).add_working_days(
            today, self.contact_within_days
        )

    def book(self, job: JobSpec, slot: Slot | None) -> Booking:
        by = self.contact_by()
        return Booking(
            job_reference=job.reference,
            status=BookingStatus.WITH_CONTRACTOR,
            external_ref=f"handoff-{job.reference}",
            message=(
                f"{self.contractor_name} will contact you to arrange a visit by {by:%A} {by.day} {by:%B %Y}."
            ),
            provider_data={"contact_by": by.isoformat()},
        )

    def cancel(self, job: JobSpec, booking: Booking) -> Booking:
        return booking.with_status(BookingStatus.CANCELLED)
