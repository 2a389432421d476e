"""Total Mobile Optimise over REST: jobs pushed into a world, visit news pushed back to us.

The only public client of this API is the ONS's `ONSdigital/blaise-totalmobile-services`
(`client/base.py`, `client/optimise.py`, `models/create/totalmobile/`, `app/handlers/`), so every
shape here follows it, and `docs/scheduling.md` says which parts are assumed. In short: an OAuth2
client-credentials token from `{base}/{instance}/identity/connect/token` (scope `optimiseApi`,
credentials in the form body); the world in a job's URL is the world's GUID, found by its name
through `GET worlds` and kept in `connection.options["world_id"]`; a duplicate create answers 400
"Job already exists with Reference …"; a delete carries a `deletionReason`. Moving a visit has no
public basis, so this adapter does not declare RESCHEDULE.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import requests
from oauthlib.oauth2 import BackendApplicationClient, OAuth2Error, TokenExpiredError
from requests_oauthlib import OAuth2Session

from ..port import (
    LONDON,
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
DUPLICATE = "Job already exists with Reference"
ORIGIN = "Repairs Online"
DELETION_REASON = "Cancelled in Repairs Online"
# Total Mobile writes dates as London wall-clock time without a zone (`"2023-10-03T00:00:00"`).
WALL_CLOCK = "%Y-%m-%dT%H:%M:%S"
INBOUND_SHAPES = 'a form result ({"result": {"association": …}}) or a visit ({"visit": {"identity": …}})'


class TotalMobile(SchedulerAdapter):
    key = "totalmobile"
    label = "Total Mobile"
    capabilities = frozenset({Capability.BOOK, Capability.CANCEL, Capability.FETCH, Capability.INBOUND})

    def __init__(self, connection) -> None:
        self.connection = connection
        self.base = f"{connection.endpoint_url.rstrip('/')}/{connection.instance}"
        self.timeout = connection.timeout_seconds or 10
        self._session: OAuth2Session | None = None

    # --- the port ---------------------------------------------------------------------------

    def book(self, job: JobSpec, slot: Slot | None) -> Booking:
        response = self._request("POST", self._jobs_url(), json=job_body(job, slot, self._options))
        if response.status_code == 400 and _is_duplicate(response):
            # Created by an earlier attempt: booking is idempotent per job, so read back what is there.
            return self.fetch(job, Booking(job.reference, BookingStatus.BOOKED, external_ref=job.reference))
        self._raise_for(response, "create the job")
        return Booking(job.reference, BookingStatus.BOOKED, external_ref=job.reference, slot=slot)

    def cancel(self, job: JobSpec, booking: Booking) -> Booking:
        reason = self._options.get("deletion_reason") or DELETION_REASON
        response = self._request(
            "DELETE", self._jobs_url(job.reference), json={"deletionReason": {"reference": reason}}
        )
        if response.status_code == 404:
            return booking.with_status(BookingStatus.NOT_FOUND)
        self._raise_for(response, "delete the job")
        return booking.with_status(BookingStatus.CANCELLED)

    def fetch(self, job: JobSpec, booking: Booking) -> Booking:
        response = self._request("GET", self._jobs_url(job.reference))
        if response.status_code == 404:
            return booking.with_status(BookingStatus.NOT_FOUND)
        self._raise_for(response, "read the job")
        return booking_from_job(_json_object(response, "the job"), job.reference)

    def parse_inbound(self, body: bytes, content_type: str = "") -> list[BookingUpdate]:
        return parse_message(body, form_updates=self._options.get("form_updates") or {})

    def inbound_response(self, ok: bool, message: str = "") -> tuple[bytes, str, int]:
        """Plain text, as the published receiver answers Total Mobile's HTTP adapter ("ok" or why not)."""
        return (b"ok" if ok else message.encode()), "text/plain; charset=utf-8", 200 if ok else 400

    def health(self) -> Health:
        try:
            self._oauth(refresh=True)
            world_id = self.world_id(refresh=True)
        except SchedulerError as error:
            return Health(ok=False, detail=error.message)
        return Health(
            ok=True,
            detail=f"Total Mobile issued a token and has world '{self.connection.world}' ({world_id}).",
        )

    # --- the world --------------------------------------------------------------------------

    def world_id(self, *, refresh: bool = False) -> str:
        """The GUID of the connection's world, looked up by name once and kept in its options."""
        options = self._options
        if not refresh and options.get("world_id") and options.get("world_name") == self.connection.world:
            return options["world_id"]
        response = self._request("GET", f"{self.base}/api/optimise/worlds")
        self._raise_for(response, "list its worlds")
        data = _json_object(response, "the list of worlds", kinds=(list, dict))
        worlds = data.get("results", []) if isinstance(data, dict) else data
        names = {}
        for world in worlds:
            if isinstance(world, dict) and world.get("id"):
                names[str((world.get("identity") or {}).get("reference") or "")] = str(world["id"])
        wanted = self.connection.world
        found = names.get(wanted) or (wanted if wanted in names.values() else None)
        if not found:
            known = ", ".join(sorted(name for name in names if name)) or "none"
            raise SchedulerError(
                f"Total Mobile has no world called '{wanted}' for scheduler '{self.connection.name}' "
                f"(worlds it offers: {known}).",
                retryable=False,
            )
        self._remember_world(found)
        return found

    def _remember_world(self, world_id: str) -> None:
        options = {**self._options, "world_id": world_id, "world_name": self.connection.world}
        self.connection.options = options
        if self.connection.pk:  # only this field: the admin may be editing the others
            type(self.connection).objects.filter(pk=self.connection.pk).update(options=options)

    @property
    def _options(self) -> dict[str, Any]:
        return self.connection.options or {}

    # --- HTTP -------------------------------------------------------------------------------

    def _jobs_url(self, reference: str = "") -> str:
        url = f"{self.base}/api/optimise/worlds/{self.world_id()}/jobs"
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
                    include_client_id=True,  # in the form body, as the public client sends them
                    scope=SCOPE,
                    timeout=self.timeout,
                )
            except OAuth2Error as error:
                raise SchedulerError(
                    f"Total Mobile refused the client id and secret of scheduler '{self.connection.name}' "
                    f"({error.description or error.error}): check them under Scheduling → Schedulers.",
                    retryable=False,
                ) from error
            except (requests.Timeout, requests.ConnectionError) as error:
                raise SchedulerError(
                    f"Total Mobile did not answer in time: {error}", retryable=True
                ) from error
            except ValueError as error:  # the token endpoint answered something that is not a token
                raise SchedulerError(
                    f"Total Mobile's token endpoint answered something that is not a token: {error}",
                    retryable=True,
                ) from error
            self._session = session
        return self._session

    def _request(self, method: str, url: str, **kwargs) -> requests.Response:
        for attempt in (1, 2):
            try:
                response = self._oauth().request(method, url, timeout=self.timeout, **kwargs)
            except TokenExpiredError:
                self._session = None
                continue
            except (requests.Timeout, requests.ConnectionError) as error:
                raise SchedulerError(
                    f"Total Mobile did not answer in time: {error}", retryable=True
                ) from error
            if response.status_code == 401 and attempt == 1:
                self._session = None  # token expired or revoked: fetch a new one once
                continue
            return response
        return response

    def _raise_for(self, response: requests.Response, doing: str) -> None:
        if response.ok:
            return
        status = response.status_code
        if status in (401, 403):
            raise SchedulerError(
                f"Total Mobile refused scheduler '{self.connection.name}' when trying to {doing} "
                f"(HTTP {status}): check its client id, secret and access to world {self.connection.world}.",
                retryable=False,
            )
        raise SchedulerError(
            f"Total Mobile could not {doing} (HTTP {status}): {_error_detail(response)}",
            retryable=status >= 500 or status == 429,
        )


# --- outgoing shapes (models/create/totalmobile/totalmobile_outgoing_create_job_payload_model.py) ---


def job_body(job: JobSpec, slot: Slot | None, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """The create-job body: the public client's fields, filled from our job."""
    options = options or {}
    lines = [part.strip() for part in job.address.split(",") if part.strip()]
    body: dict[str, Any] = {
        "identity": {"reference": job.reference},
        "description": job.description[:500],
        "origin": options.get("origin") or ORIGIN,
        "duration": job.minutes,
        "workType": job.trade,
        "skills": [{"identity": {"reference": job.trade}}],
        "dueDate": {"end": job.target_date.isoformat() if job.target_date else None},
        "location": {
            "reference": job.location_id,
            "address": ", ".join([*lines, job.postcode] if job.postcode else lines),
            "addressDetail": {
                "addressLine1": (lines[0] if lines else "")[:50],
                "addressLine2": lines[1] if len(lines) > 1 else None,
                "addressLine3": lines[2] if len(lines) > 2 else None,
                "addressLine4": ", ".join(lines[3:]) or None,
                "postCode": job.postcode or None,
                "coordinates": {"latitude": None, "longitude": None},
            },
        },
        "contact": _contact(job),
        "specialInstructions": "\n".join([*getattr(job, "warnings", ()), job.access_notes]).strip() or None,
        "attributes": [],
        "additionalProperties": _properties(job),
    }
    if slot is not None:
        body["appointmentDate"] = {"start": _wall_clock(slot.start), "end": _wall_clock(slot.end)}
    return body


def _contact(job: JobSpec) -> dict[str, Any]:
    contact: dict[str, Any] = {"name": job.contact_name or None}
    phone = job.contact_phone.replace(" ", "")
    if phone:
        contact["mobilePhone" if phone.startswith(("07", "+447")) else "homePhone"] = phone
    return contact


def _properties(job: JobSpec) -> list[dict[str, str]]:
    properties = [
        {"name": "priority", "value": job.priority},
        {"name": "size", "value": job.size},
        {"name": "communal", "value": "yes" if job.is_communal else "no"},
    ]
    properties += [
        {"name": f"sor{number}", "value": f"{line.code} x{line.quantity}"}
        for number, line in enumerate(job.sor_lines, start=1)
    ]
    return [prop for prop in properties if prop["value"]]


def _wall_clock(value: datetime.datetime) -> str:
    return value.astimezone(LONDON).strftime(WALL_CLOCK)


# --- reading Total Mobile's answers -----------------------------------------------------------


def booking_from_job(data: dict[str, Any], reference: str) -> Booking:
    """A job as `GET worlds/{id}/jobs/{reference}` answers it (client/optimise.py GetJobResponse)."""
    appointment = data.get("appointmentDate") or {}
    slot = None
    if appointment.get("start") and appointment.get("end"):
        slot = Slot(_parse_time(appointment["start"]), _parse_time(appointment["end"]))
    return Booking(
        job_reference=str((data.get("identity") or {}).get("reference") or reference),
        status=BookingStatus.BOOKED,
        external_ref=str((data.get("identity") or {}).get("reference") or reference),
        slot=slot,
        operative=str((data.get("allocatedResource") or {}).get("reference") or ""),
        provider_data={"visitComplete": bool(data.get("visitComplete")), "status": data.get("status")},
    )


def _parse_time(value: str) -> datetime.datetime:
    """Total Mobile's times: London wall clock without a zone, or ISO 8601 with one."""
    try:
        parsed = datetime.datetime.fromisoformat(str(value))
    except ValueError as error:
        raise SchedulerError(
            f"Total Mobile sent a time we cannot read: '{value}'.", retryable=False
        ) from error
    return parsed.replace(tzinfo=LONDON) if parsed.tzinfo is None else parsed.astimezone(LONDON)


def _json_object(response: requests.Response, what: str, kinds: tuple[type, ...] = (dict,)) -> Any:
    try:
        data = response.json()
    except ValueError as error:
        raise SchedulerError(
            f"Total Mobile sent {what} as something other than JSON.", retryable=True
        ) from error
    if not isinstance(data, kinds):
        raise SchedulerError(f"Total Mobile sent {what} in a shape we do not know.", retryable=False)
    return data


def _error_detail(response: requests.Response) -> str:
    """Total Mobile's 400s are `{field: [message, …]}`; anything else is shown as text."""
    try:
        data = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(data, dict):
        parts = []
        for field, messages in data.items():
            texts = messages if isinstance(messages, list) else [messages]
            parts.append(f"{field}: {'; '.join(str(text) for text in texts)}")
        return " | ".join(parts)[:300]
    return str(data)[:300]


def _is_duplicate(response: requests.Response) -> bool:
    try:
        data = response.json()
    except ValueError:
        return DUPLICATE in response.text
    messages = data.get("jobEntity") if isinstance(data, dict) else None
    return isinstance(messages, list) and any(str(message).startswith(DUPLICATE) for message in messages)


# --- inbound (app/handlers/totalmobile_incoming_handler.py, tests/conftest.py samples) ----------


def parse_message(body: bytes, *, form_updates: dict[str, str] | None = None) -> list[BookingUpdate]:
    """Read one push from Total Mobile's HTTP adapter: a submitted form result or a visit.

    Keys are read without regard to case: the published samples spell the same key both ways
    (`visit`/`Visit`, `user`/`User`). A form result completes the job unless `form_updates` maps its
    form's reference to another update (for example `{"No Access": "no_access"}`); a visit confirms
    the booking, with the operative's user name and its scheduled time.
    """
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise SchedulerError("The Total Mobile message is not JSON.", retryable=False) from error
    if not isinstance(data, dict):
        raise SchedulerError("The Total Mobile message is not a JSON object.", retryable=False)
    data = _lower_keys(data)
    if isinstance(data.get("result"), dict):
        return [_form_result(data["result"], form_updates or {})]
    if isinstance(data.get("visit"), dict):
        return [_visit(data["visit"])]
    raise SchedulerError(f"The Total Mobile message is not {INBOUND_SHAPES}.", retryable=False)


def _form_result(result: dict[str, Any], form_updates: dict[str, str]) -> BookingUpdate:
    reference = _text(_get(result, "association", "reference"))
    if not reference:
        raise SchedulerError(
            "The Total Mobile form result has no job reference (result.association.reference).",
            retryable=False,
        )
    form = _text(_get(result, "form", "reference"))
    wanted = {name.lower(): kind for name, kind in form_updates.items()}.get(
        form.lower(), UpdateKind.COMPLETED
    )
    try:
        kind = UpdateKind(wanted)
    except ValueError as error:
        raise SchedulerError(
            f"The Total Mobile form '{form}' is set to '{wanted}', which is not an update we know.",
            retryable=False,
        ) from error
    return BookingUpdate(
        kind=kind,
        job_reference=reference,
        operative=_text(_get(result, "user", "name")),
        note=f"Total Mobile form '{form}' submitted." if form else "Total Mobile form submitted.",
    )


def _visit(visit: dict[str, Any]) -> BookingUpdate:
    reference = _text(_get(visit, "identity", "reference"))
    if not reference:
        raise SchedulerError(
            "The Total Mobile visit has no job reference (visit.identity.reference).", retryable=False
        )
    schedule = visit.get("schedule") if isinstance(visit.get("schedule"), dict) else {}
    slot = None
    if schedule.get("startdate") and schedule.get("enddate"):
        start, end = _parse_time(schedule["startdate"]), _parse_time(schedule["enddate"])
        if end <= start:
            raise SchedulerError("The Total Mobile visit ends before it starts.", retryable=False)
        slot = Slot(start, end)
    return BookingUpdate(
        kind=UpdateKind.CONFIRMED,
        job_reference=reference,
        slot=slot,
        operative=_text(_get(visit, "identity", "user", "name")),
    )


def _lower_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key).lower(): _lower_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_lower_keys(item) for item in value]
    return value


def _get(data: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _text(value: Any) -> str:
    return str(value).strip()[:200] if isinstance(value, str | int) and str(value).strip() else ""


def parse_visit_status(body: bytes) -> list[BookingUpdate]:
    """Kept for the Total Mobile push view until it calls `TotalMobile.parse_inbound`: the same parser."""
    return parse_message(body)
