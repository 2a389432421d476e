"""A fake Total Mobile: OAuth2 client-credentials token endpoint and the Optimise jobs API.

Handlers are werkzeug functions registered on pytest-httpserver. Tokens are checked on every jobs
call; creating a job that exists answers 409, reading or deleting one that does not answers 404.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
from dataclasses import dataclass, field

from werkzeug import Request, Response

INSTANCE = "council"
WORLD = "repairs"


@dataclass
class FakeTotalMobile:
    client_id: str = "repairs-online"
    client_secret: str = "tm-secret"
    jobs: dict[str, dict] = field(default_factory=dict)
    tokens: set[str] = field(default_factory=set)
    token_requests: int = 0
    down: bool = False

    def install(self, httpserver) -> None:
        httpserver.expect_request(f"/{INSTANCE}/identity/connect/token", method="POST").respond_with_handler(
            self.token
        )
        jobs = re.compile(rf"^/{INSTANCE}/api/optimise/worlds/{WORLD}/jobs(/[^/]+)?$")
        httpserver.expect_request(jobs).respond_with_handler(self.jobs_api)

    def token(self, request: Request) -> Response:
        self.token_requests += 1
        client_id = request.form.get("client_id")
        secret = request.form.get("client_secret")
        header = request.headers.get("Authorization", "")
        if header.startswith("Basic "):
            client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
        if request.form.get("grant_type") != "client_credentials" or (client_id, secret) != (
            self.client_id,
            self.client_secret,
        ):
            return _json({"error": "invalid_client"}, 400)
        token = secrets.token_hex(8)
        self.tokens.add(token)
        return _json(
            {"access_token": token, "token_type": "Bearer", "expires_in": 3600, "scope": "optimiseApi"}
        )

    def jobs_api(self, request: Request) -> Response:
        if self.down:
            return _json({"error": "Service unavailable"}, 503)
        header = request.headers.get("Authorization", "")
        if header.removeprefix("Bearer ") not in self.tokens:
            return _json({"error": "invalid_token"}, 401)
        reference = request.path.rsplit("/jobs", 1)[1].lstrip("/")
        if request.method == "POST" and not reference:
            body = request.get_json()
            key = body["identity"]["reference"]
            if key in self.jobs:
                return _json({"error": "A job with this reference already exists"}, 409)
            self.jobs[key] = {**body, "id": f"tm-{len(self.jobs) + 1}", "allocatedTo": {"name": "Jo Joiner"}}
            return _json(self.jobs[key], 201)
        if reference not in self.jobs:
            return _json({"error": "Not found"}, 404)
        if request.method == "GET":
            return _json(self.jobs[reference])
        if request.method == "PATCH":
            self.jobs[reference].update(request.get_json())
            return _json(self.jobs[reference])
        if request.method == "DELETE":
            del self.jobs[reference]
            return Response(status=204)
        return _json({"error": "Method not allowed"}, 405)


def _json(data, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, content_type="application/json")
