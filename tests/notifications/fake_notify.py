"""A local GOV.UK Notify for tests and the benchmark, built from Notify's public API contract.

It is as strict as the real service where our client could go wrong:
- every request carries `Authorization: Bearer <JWT>` signed HS256 with the key's secret, `iss` the
  service id and `iat` within 30 seconds (checked with the client library's own decoder) → else 403;
- POST /v2/notifications/email and /sms bodies follow the v2 JSON schema (required fields, types,
  UUID template id, reference at most 1,000 characters, no unknown properties) → else 400;
- more than `rate_limit` messages in any rolling `rate_window` seconds → 429 RateLimitError;
- GET /v2/notifications?reference=… answers the look-up with what was accepted under that reference.
Tests can script the next answers (429, the daily limit, 503, 400, or hang after accepting) and read
what was sent, and how many times each reference was posted.
"""

from __future__ import annotations

import collections
import json
import re
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import TokenError

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)

EMAIL_FIELDS = {
    "email_address": str,
    "template_id": str,
    "personalisation": dict,
    "reference": str,
    "email_reply_to_id": str,
    "one_click_unsubscribe_url": str,
    "sanitise_content_for": list,
}
SMS_FIELDS = {
    "phone_number": str,
    "template_id": str,
    "personalisation": dict,
    "reference": str,
    "sms_sender_id": str,
}


class FakeNotify:
    def __init__(self, *, rate_limit: int = 3000, rate_window: float = 60.0) -> None:
        self.service_id = str(uuid.uuid4())
        self.secret = str(uuid.uuid4())
        self.api_key = f"repairs_test-{self.service_id}-{self.secret}"
        self.rate_limit = rate_limit
        self.rate_window = rate_window
        self.lock = threading.Lock()
        self.accepted: list[dict] = []
        self.by_reference: dict[str, list[dict]] = collections.defaultdict(list)
        self.posts_by_reference: collections.Counter[str] = collections.Counter()
        self.lookups: list[str] = []
        self.invalid: list[str] = []
        self.rate_limited = 0
        self.scripted: collections.deque[str] = collections.deque()
        self.recent: collections.deque[float] = collections.deque()
        self.accept_times: list[float] = []
        self.release = threading.Event()

    # --- what tests use ---------------------------------------------------------------------------

    def script(self, *answers: str) -> None:
        """Answer the next POSTs: 'ok', '429', 'daily', '503', '400', or 'hang' (accept, never answer)."""
        self.scripted.extend(answers)

    def sent_to(self, recipient: str) -> list[dict]:
        return [n for n in self.accepted if n["recipient"] == recipient]

    # --- the WSGI app -----------------------------------------------------------------------------

    def __call__(self, environ, start_response):
        status, body = self.handle(environ)
        start_response(f"{status} X", [("Content-Type", "application/json")])
        return [json.dumps(body).encode()]

    def handle(self, environ) -> tuple[int, dict]:
        method, path = environ["REQUEST_METHOD"], environ["PATH_INFO"]
        problem = self._check_token(environ.get("HTTP_AUTHORIZATION", ""))
        if problem:
            return _error(403, "AuthError", problem)
        if method == "GET" and path == "/v2/notifications":
            return self._look_up(parse_qs(environ.get("QUERY_STRING", "")))
        if method == "POST" and path in ("/v2/notifications/email", "/v2/notifications/sms"):
            length = int(environ.get("CONTENT_LENGTH") or 0)
            try:
                body = json.loads(environ["wsgi.input"].read(length) or b"null")
            except ValueError:
                return _error(400, "BadRequestError", "Invalid JSON supplied in POST data")
            kind = "email" if path.endswith("email") else "sms"
            return self._send(kind, body)
        return _error(404, "ResourceNotFound", f"{method} {path} not found")

    def _check_token(self, header: str) -> str:
        scheme, _, token = header.partition(" ")
        if scheme != "Bearer" or not token:
            return "Unauthorized: authentication token must be provided"
        try:
            if get_token_issuer(token) != self.service_id:
                return "Invalid token: service not found"
            decode_jwt_token(token, self.secret)
        except TokenError as error:
            return error.message
        return ""

    def _send(self, kind: str, body: object) -> tuple[int, dict]:
        problem = _schema_problem(kind, body)
        if problem:
            with self.lock:
                self.invalid.append(problem)
            return _error(400, "ValidationError", problem)
        answer = self.scripted.popleft() if self.scripted else "ok"
        reference = body.get("reference", "")
        with self.lock:
            self.posts_by_reference[reference] += 1
        if answer == "429":
            return _error(
                429, "RateLimitError", "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds"
            )
        if answer == "daily":
            return _error(429, "TooManyRequestsError", "Exceeded send limits (250000) for today")
        if answer == "503":
            return _error(503, "ServiceUnavailable", "Service unavailable")
        if answer == "400":
            return _error(400, "BadRequestError", "Can't send to this recipient using a team-only API key")
        with self.lock:
            now = time.monotonic()
            while self.recent and self.recent[0] <= now - self.rate_window:
                self.recent.popleft()
            if len(self.recent) >= self.rate_limit:
                self.rate_limited += 1
                return _error(
                    429,
                    "RateLimitError",
                    f"Exceeded rate limit for key type LIVE of {self.rate_limit} requests",
                )
            self.recent.append(now)
            self.accept_times.append(now)
            notification = self._accept(kind, body)
        if answer == "hang":
            self.release.wait(120)  # accepted, but the caller never hears back
        return 201, notification

    def _accept(self, kind: str, body: dict) -> dict:
        notification_id = str(uuid.uuid4())
        template_id = body["template_id"]
        recipient = body.get("email_address") or body.get("phone_number")
        record = {
            "id": notification_id,
            "type": kind,
            "recipient": recipient,
            "template_id": template_id,
            "personalisation": body.get("personalisation", {}),
            "reference": body.get("reference"),
            "sanitise_content_for": body.get("sanitise_content_for"),
            "status": "created",
        }
        self.accepted.append(record)
        if record["reference"]:
            self.by_reference[record["reference"]].append(record)
        content = (
            {"subject": "Your repair", "body": "…", "from_email": "repairs@example.invalid"}
            if kind == "email"
            else {"body": "…", "from_number": "COUNCIL"}
        )
        return {
            "id": notification_id,
            "reference": record["reference"],
            "content": content,
            "uri": f"/v2/notifications/{notification_id}",
            "template": {"id": template_id, "version": 1, "uri": f"/v2/template/{template_id}"},
            "scheduled_for": None,
        }

    def _look_up(self, query: dict[str, list[str]]) -> tuple[int, dict]:
        reference = (query.get("reference") or [""])[0]
        with self.lock:
            self.lookups.append(reference)
            found = list(self.by_reference.get(reference, []))
        notifications = [
            {
                "id": n["id"],
                "reference": n["reference"],
                "type": n["type"],
                "status": n["status"],
                "template": {"id": n["template_id"], "version": 1, "uri": ""},
                "email_address": n["recipient"] if n["type"] == "email" else None,
                "phone_number": n["recipient"] if n["type"] == "sms" else None,
            }
            for n in reversed(found)
        ]
        return 200, {"notifications": notifications, "links": {"current": "/v2/notifications"}}


def _schema_problem(kind: str, body: object) -> str:
    fields = EMAIL_FIELDS if kind == "email" else SMS_FIELDS
    if not isinstance(body, dict):
        return "body must be a JSON object"
    recipient_field = "email_address" if kind == "email" else "phone_number"
    for required in (recipient_field, "template_id"):
        if required not in body:
            return f"{required} is a required property"
    for name, value in body.items():
        if name not in fields:
            return f"Additional properties are not allowed ({name} was unexpected)"
        if not isinstance(value, fields[name]):
            return f"{name} {value!r} is not of type {fields[name].__name__}"
    if not UUID_RE.match(body["template_id"]):
        return "template_id is not a valid UUID"
    if kind == "email" and "@" not in body["email_address"]:
        return "email_address Not a valid email address"
    if kind == "sms" and not re.fullmatch(r"\+?[\d ()-]{10,20}", body["phone_number"]):
        return "phone_number Not a UK mobile number"
    if len(body.get("reference", "")) > 1000:
        return "reference is too long"
    personalisation = body.get("personalisation", {})
    for key in body.get("sanitise_content_for", []):
        if not isinstance(key, str) or key not in personalisation:
            return f"sanitise_content_for {key!r} is not a personalisation key"
    return ""


def _error(status: int, error: str, message: str) -> tuple[int, dict]:
    return status, {"status_code": status, "errors": [{"error": error, "message": message}]}


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def running(fake: FakeNotify) -> Iterator[str]:
    """Serve `fake` on a free local port for the duration of the block; yields its base URL."""
    server = make_server("127.0.0.1", 0, fake, server_class=_ThreadingServer, handler_class=_QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        fake.release.set()
        server.shutdown()
        server.server_close()
