"""A fake Total Mobile Optimise API, as strict as the public client lets us be.

Built from `ONSdigital/blaise-totalmobile-services` only: the token call of `client/base.py`, the
routes of `client/optimise.py` (worlds by GUID, jobs under a world), the create-job fields of
`models/create/totalmobile/totalmobile_outgoing_create_job_payload_model.py`, the job the API
answers (`tests/conftest.py`'s `mock_jobs`) and the duplicate and validation 400s the client's
tests expect. A field the public shapes never show is refused, as is a missing one the public
client always sends; the answer is a 400 of `{field: [message]}`, the form the client's tests show.
"""

from __future__ import annotations

import base64
import datetime
import json
import re
import secrets
import uuid
from dataclasses import dataclass, field
from typing import Any

from werkzeug import Request, Response

INSTANCE = "council"
WORLD = "Repairs North"

# What a create may carry: the public create payload plus the writable fields of the job it reads back.
CREATE_FIELDS = {
    "identity": {"reference"},
    "description": None,
    "origin": None,
    "duration": None,
    "workType": None,
    "skills": None,
    "dueDate": {"start", "end"},
    "appointmentDate": {"start", "end"},
    "location": {"reference", "address", "addressDetail"},
    "contact": {"title", "name", "homePhone", "workPhone", "mobilePhone", "email", "url", "contactDetail"},
    "priority": None,
    "specialInstructions": None,
    "attributes": None,
    "additionalProperties": None,
}
# Sent every time by the public client (non-Optional in its payload model).
REQUIRED = ("identity", "description", "origin", "duration", "skills", "dueDate", "location", "contact")
ADDRESS_DETAIL = {
    "name",
    "houseNumber",
    "addressLine1",
    "addressLine2",
    "addressLine3",
    "addressLine4",
    "addressLine5",
    "postCode",
    "coordinates",
}


def job_record(body: dict[str, Any]) -> dict[str, Any]:
    """The job as the API answers it: every field of `mock_jobs`, filled from the create body."""
    detail = {key: None for key in ADDRESS_DETAIL} | body["location"].get("addressDetail", {})
    contact = {key: None for key in CREATE_FIELDS["contact"]} | body["contact"]
    return {
        "status": "NEW",
        "visitStatus": None,
        "visitComplete": False,
        "committed": False,
        "dispatched": False,
        "dispatchDate": None,
        "identity": {"reference": body["identity"]["reference"]},
        "allocatedResource": None,
        "description": body["description"],
        "contact": contact,
        "duration": body["duration"],
        "priority": body.get("priority"),
        "emergency": False,
        "specialInstructions": body.get("specialInstructions"),
        "location": {**body["location"], "addressDetail": detail},
        "workType": body.get("workType"),
        "scheduleDate": {"start": None, "end": None},
        "appointmentDate": {"start": None, "end": None} | body.get("appointmentDate", {}),
        "dueDate": {"start": None, "end": _midnight(body["dueDate"].get("end"))},
        "origin": body["origin"],
        "skills": body["skills"],
        "attributes": body.get("attributes", []),
        "additionalProperties": body.get("additionalProperties", []),
    }


def _midnight(date: str | None) -> str | None:
    return f"{date}T00:00:00" if date else None


def invalid_fields(body: Any) -> dict[str, list[str]]:
    """What is wrong with a create body, keyed by field as Total Mobile's 400s are."""
    if not isinstance(body, dict):
        return {"job": ["The request body must be a JSON object."]}
    errors: dict[str, list[str]] = {}
    for name in body.keys() - CREATE_FIELDS.keys():
        errors[name] = [f"Could not find member '{name}' on object of type 'Job'."]
    for name in REQUIRED:
        if body.get(name) in (None, ""):
            errors[name] = [f"The {name} field is required."]
    for name, allowed in CREATE_FIELDS.items():
        value = body.get(name)
        if allowed is not None and value is not None:
            if not isinstance(value, dict):
                errors[name] = [f"The {name} field must be an object."]
            elif value.keys() - allowed:
                errors[name] = [f"Unknown member(s) {sorted(value.keys() - allowed)} on '{name}'."]
    if not str((body.get("identity") or {}).get("reference") or "").strip():
        errors["identity.reference"] = ["The Reference field is required."]
    duration = body.get("duration")
    if not isinstance(duration, int) or not 1 <= duration <= 60000:
        errors["duration"] = ["The field Duration must be between 1 and 60000."]
    location = body.get("location") or {}
    if isinstance(location, dict):
        if not isinstance(location.get("address"), str) or "reference" not in location:
            errors["location"] = ["The location needs a reference and an address."]
        detail = location.get("addressDetail") or {}
        if not isinstance(detail, dict) or detail.keys() - ADDRESS_DETAIL:
            errors["location.addressDetail"] = ["Unknown member(s) on 'addressDetail'."]
    for name in ("skills", "attributes", "additionalProperties"):
        if name in body and not isinstance(body[name], list):
            errors[name] = [f"The {name} field must be a list."]
    for item in body.get("additionalProperties") or []:
        if not isinstance(item, dict) or item.keys() != {"name", "value"}:
            errors["additionalProperties"] = ["Each additional property is {name, value}."]
    for name in ("dueDate", "appointmentDate"):
        for edge, value in (body.get(name) or {}).items():
            if value is not None and not _is_time(value):
                errors[f"{name}.{edge}"] = [f"'{value}' is not a date."]
    return errors


def _is_time(value: Any) -> bool:
    try:
        datetime.datetime.fromisoformat(str(value))
    except ValueError:
        return False
    return True


@dataclass
class FakeTotalMobile:
    client_id: str = "repairs-online"
    client_secret: str = "tm-secret"
    worlds: dict[str, str] = field(
        default_factory=lambda: {WORLD: str(uuid.uuid4()), "Region 2": str(uuid.uuid4())}
    )
    jobs: dict[str, dict] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)
    token_requests: int = 0
    world_requests: int = 0
    invalid: list[dict] = field(default_factory=list)  # bodies refused as malformed, for tests to read
    deletions: list[dict] = field(default_factory=list)
    down: bool = False
    forbidden: bool = False

    @property
    def world_id(self) -> str:
        return self.worlds[WORLD]

    def install(self, httpserver) -> None:
        httpserver.expect_request(f"/{INSTANCE}/identity/connect/token", method="POST").respond_with_handler(
            self.token
        )
        httpserver.expect_request(f"/{INSTANCE}/api/optimise/worlds", method="GET").respond_with_handler(
            self.list_worlds
        )
        jobs = re.compile(rf"^/{INSTANCE}/api/optimise/worlds/([^/]+)/jobs(/[^/]+)?$")
        httpserver.expect_request(jobs).respond_with_handler(self.jobs_api)

    def allocate(self, reference: str, resource: str) -> None:
        """Someone in Total Mobile allocated the job to a resource (an operative's user name)."""
        self.jobs[reference]["allocatedResource"] = {"reference": resource}

    def token(self, request: Request) -> Response:
        self.token_requests += 1
        client_id = request.form.get("client_id")
        secret = request.form.get("client_secret")
        header = request.headers.get("Authorization", "")
        if header.startswith("Basic "):
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        if request.form.get("grant_type") != "client_credentials":
            return _json({"error": "unsupported_grant_type"}, 400)
        if (client_id, secret) != (self.client_id, self.client_secret):
            return _json({"error": "invalid_client"}, 400)
        if "optimiseApi" not in (request.form.get("scope") or "").split():
            return _json({"error": "invalid_scope"}, 400)
        token = secrets.token_hex(8)
        self.tokens.add(token)
        return _json(
            {"access_token": token, "token_type": "Bearer", "expires_in": 3600, "scope": "optimiseApi"}
        )

    def _authorised(self, request: Request) -> bool:
        return request.headers.get("Authorization", "").removeprefix("Bearer ") in self.tokens

    def list_worlds(self, request: Request) -> Response:
        if not self._authorised(request):
            return Response(status=401)
        self.world_requests += 1
        return _json(
            [
                {"id": guid, "identity": {"reference": name}, "type": "Optimise"}
                for name, guid in self.worlds.items()
            ]
        )

    def jobs_api(self, request: Request) -> Response:
        if self.down:
            return Response("Internal Server Error", status=500)
        if not self._authorised(request):
            return Response(status=401)
        if self.forbidden:
            return Response(status=403)
        match = re.match(rf"^/{INSTANCE}/api/optimise/worlds/([^/]+)/jobs(?:/([^/]+))?$", request.path)
        world, reference = match.group(1), match.group(2) or ""
        if world not in self.worlds.values():  # a world's name is not its id
            return _json({"world": [f"No world with id '{world}'."]}, 404)
        if request.method == "POST" and not reference:
            return self.create(request)
        if request.method not in ("GET", "DELETE") or not reference:
            return Response(status=405)
        if reference not in self.jobs:
            return _json({"jobEntity": [f"Job with Reference {reference} not found."]}, 404)
        if request.method == "GET":
            return _json(self.jobs[reference])
        return self.delete(request, reference)

    def create(self, request: Request) -> Response:
        try:
            body = json.loads(request.get_data())
        except ValueError:
            return self._refuse({"job": ["The request body is not JSON."]})
        errors = invalid_fields(body)
        if errors:
            return self._refuse(errors)
        reference = body["identity"]["reference"]
        if reference in self.jobs:
            return _json({"jobEntity": [f"Job already exists with Reference {reference}."]}, 400)
        self.jobs[reference] = job_record(body)
        return _json({})

    def delete(self, request: Request, reference: str) -> Response:
        try:
            body = json.loads(request.get_data() or b"null")
        except ValueError:
            body = None
        reason = body.get("deletionReason") if isinstance(body, dict) else None
        if not isinstance(reason, dict) or not str(reason.get("reference") or "").strip():
            return self._refuse({"deletionReason": ["The deletionReason field is required."]})
        self.deletions.append({"reference": reference, **body})
        del self.jobs[reference]
        return Response(status=200)

    def _refuse(self, errors: dict[str, list[str]]) -> Response:
        self.invalid.append(errors)
        return _json(errors, 400)


def _json(data, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json; charset=utf-8")
