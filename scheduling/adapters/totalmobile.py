"""Total Mobile over REST: jobs pushed into an Optimise "world", visit status pushed back to us.

Authentication is OAuth2 client credentials (`{base}/{instance}/identity/connect/token`, scope
`optimiseApi`) through requests-oauthlib; jobs live at
`{base}/{instance}/api/optimise/worlds/{world}/jobs/{reference}`. Total Mobile dispatches work rather
than offering residents slots, so this adapter books a visit window chosen elsewhere (or none) and
learns the rest from visit status updates. Payload field names follow the integration a council
configures; the shapes here are the ones our fake server and inbound endpoint agree on.
"""

from __future__ import annotations

import datetime
import json

import requests
from oauthlib.oauth2 import BackendApplicationClient, OAuth2Error
from requests_oauthlib import OAuth2Session

from ..port import (
    Booking,
    BookingStatus,
    BookingUpdate,
    Capability,
    Health,
    JobSpec,
    SchedulerAdapter,
    SchedulerError,
    Slot,
    UpdateKind,
)

SCOPE = "optimiseApi"
STATUS_UPDATES = {
    "arrived": UpdateKind.ARRIVED,
    "onsite": UpdateKind.ARRIVED,
    "started": UpdateKind.ARRIVED,
    "completed": UpdateKind.COMPLETED,
    "complete": UpdateKind.COMPLETED,
    "noaccess": UpdateKind.NO_ACCESS,
    "cancelled": UpdateKind.CANCELLED,
    "scheduled": UpdateKind.CONFIRMED,
    "allocated": UpdateKind.CONFIRMED,
}


class TotalMobile(SchedulerAdapter):
    key = "totalmobile"
    label = "Total Mobile"
    capabilities = frozenset(
        {Capability.BOOK, Capability.RESCHEDULE, Capability.CANCEL, Capability.FETCH, Capability.INBOUND}
    )

    def __init__(self, connection) -> None:
        self.connection = connection
        self.base = f"{connection.endpoint_url.rstrip('/')}/{connection.instance}"
        self.timeout = connection.timeout_seconds or 10
        self._session: OAuth2Session | None = None

    # --- the port ---------------------------------------------------------------------------

    def book(self, job: JobSpec, slot: Slot | None) -> Booking:
        response = self._request("POST", self._jobs_url(), json=self._job_body(job, slot))
        if response.status_code == 409:  # created by an earlier attempt: booking is idempotent per job
            return self.fetch(job, Booking(job.reference, BookingStatus.BOOKED, external_ref=job.reference))
        self._raise_for(response, "create the job")
        return self._booking(response.json(), job.reference)

    def reschedule(self, job: JobSpec, booking: Booking, slot: Slot) -> Booking:
        response = self._request("PATCH", self._jobs_url(job.reference), json={"visit": _visit(slot)})
        self._raise_for(response, "move the visit")
        return self._booking(response.json(), job.reference)

    def cancel(self, job: JobSpec, booking: Booking) -> Booking:
        response = self._request("DELETE", self._jobs_url(job.reference))
        if response.status_code == 404:
            return booking.with_status(BookingStatus.NOT_FOUND)
        self._raise_for(response, "cancel the job")
        return booking.with_status(BookingStatus.CANCELLED)

    def fetch(self, job: JobSpec, booking: Booking) -> Booking:
        response = self._request("GET", self._jobs_url(job.reference))
        if response.status_code == 404:
            return booking.with_status(BookingStatus.NOT_FOUND)
        self._raise_for(response, "read the job")
        return self._booking(response.json(), job.reference)

    def parse_inbound(self, body: bytes, content_type: str = "") -> list[BookingUpdate]:
        return parse_visit_status(body)

    def health(self) -> Health:
        try:
            self._oauth(refresh=True)
        except SchedulerError as error:
            return Health(ok=False, detail=error.message)
        return Health(ok=True, detail="Total Mobile issued a token.")

    # --- HTTP -------------------------------------------------------------------------------

    def _jobs_url(self, reference: str = "") -> str:
        url = f"{self.base}/api/optimise/worlds/{self.connection.world}/jobs"
        return f"{url}/{requests.utils.quote(reference, safe='')}" if reference else url

    def _oauth(self, *, refresh: bool = False) -> OAuth2Session:
        if self._session is None or refresh:
            session = OAuth2Session(
                client=BackendApplicationClient(client_id=self.connection.client_id), scope=[SCOPE]
            )
            try:
                session.fetch_token(
                    token_url=f"{self.base}/identity/connect/token",
                    client_id=self.connection.client_id,
                    client_secret=self.connection.client_secret,
                    timeout=self.timeout,
                )
            except OAuth2Error as error:
                raise SchedulerError(
                    f"Total Mobile refused our credentials: {error.description}", retryable=False
                ) from error
            except (requests.Timeout, requests.ConnectionError) as error:
                raise SchedulerError(
                    f"Total Mobile did not answer in time: {error}", retryable=True
                ) from error
            self._session = session
        return self._session

    def _request(self, method: str, url: str, **kwargs) -> requests.Response:
        for attempt in (1, 2):
            try:
                response = self._oauth().request(method, url, timeout=self.timeout, **kwargs)
            except (requests.Timeout, requests.ConnectionError) as error:
                raise SchedulerError(
                    f"Total Mobile did not answer in time: {error}", retryable=True
                ) from error
            if response.status_code == 401 and attempt == 1:
                self._session = None  # token expired or revoked: fetch a new one once
                continue
            return response
        return response

    @staticmethod
    def _raise_for(response: requests.Response, doing: str) -> None:
        if response.ok:
            return
        retryable = response.status_code >= 500 or response.status_code == 429
        detail = response.text[:200]
        raise SchedulerError(
            f"Total Mobile could not {doing} (HTTP {response.status_code}): {detail}", retryable=retryable
        )

    # --- shapes -----------------------------------------------------------------------------

    def _job_body(self, job: JobSpec, slot: Slot | None) -> dict:
        body = {
            "identity": {"reference": job.reference},
            "description": job.description[:500],
            "workType": job.trade,
            "duration": job.minutes,
            "priority": job.priority,
            "dueDate": job.target_date.isoformat() if job.target_date else None,
            "location": {"reference": job.location_id, "address": job.address, "postcode": job.postcode},
            "contact": {"name": job.contact_name, "phone": job.contact_phone},
            "accessNotes": job.access_notes,
        }
        if slot is not None:
            body["visit"] = _visit(slot)
        return body

    @staticmethod
    def _booking(data: dict, reference: str) -> Booking:
        visit = data.get("visit") or {}
        slot = None
        if visit.get("start") and visit.get("end"):
            slot = Slot(
                datetime.datetime.fromisoformat(visit["start"]), datetime.datetime.fromisoformat(visit["end"])
            )
        return Booking(
            job_reference=(data.get("identity") or {}).get("reference", reference),
            status=BookingStatus.BOOKED,
            external_ref=str(data.get("id") or reference),
            slot=slot,
            operative=(data.get("allocatedTo") or {}).get("name", ""),
        )


def _visit(slot: Slot) -> dict:
    return {"start": slot.start.isoformat(), "end": slot.end.isoformat()}


def parse_visit_status(body: bytes) -> list[BookingUpdate]:
    """Read a visit status update: `{"identity": {"reference"}, "visitStatus", "visit"?, "operative"?}`."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise SchedulerError("The Total Mobile update is not JSON.", retryable=False) from error
    if not isinstance(data, dict):
        raise SchedulerError("The Total Mobile update is not a JSON object.", retryable=False)
    reference = str((data.get("identity") or {}).get("reference") or "").strip()
    status = str(data.get("visitStatus") or "").replace(" ", "").replace("_", "").lower()
    if not reference:
        raise SchedulerError("The Total Mobile update has no job reference.", retryable=False)
    if status not in STATUS_UPDATES:
        raise SchedulerError(
            f"The Total Mobile visit status '{data.get('visitStatus')}' is not one we know.", retryable=False
        )
    visit = data.get("visit") or {}
    slot = None
    if visit.get("start") and visit.get("end"):
        try:
            slot = Slot(
                datetime.datetime.fromisoformat(visit["start"]), datetime.datetime.fromisoformat(visit["end"])
            )
        except ValueError as error:
            raise SchedulerError(
                "The Total Mobile visit times are not ISO 8601 with a zone.", retryable=False
            ) from error
    return [
        BookingUpdate(
            kind=STATUS_UPDATES[status],
            job_reference=reference,
            slot=slot,
            operative=str((data.get("operative") or {}).get("name") or ""),
            note=str(data.get("comment") or "")[:500],
        )
    ]
