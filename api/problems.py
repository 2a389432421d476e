"""Errors in one shape, RFC 9457 problem details, for every call of the repairs API.

`type` is a stable URI naming the kind of problem (documented in docs/api.md), `title` says it in a
few words, `detail` says what to put right for this request. Validation problems add `errors`, one
per field, with where it was and what was wrong.
"""

from __future__ import annotations

from typing import Any

from django.http import JsonResponse

PROBLEM_CONTENT_TYPE = "application/problem+json"
TYPE_BASE = "https://repairs-online.example/problems/"

TITLES = {
    400: "Bad request",
    401: "Unauthorised",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    422: "Unprocessable content",
    429: "Too many requests",
}


class Problem(Exception):
    """Raise from any endpoint or service adapter; the API answers it as problem details."""

    def __init__(
        self, status: int, kind: str, detail: str, *, title: str = "", headers: dict | None = None, **extra
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.title = title or TITLES.get(status, "Error")
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra

    def body(self, instance: str = "") -> dict[str, Any]:
        body = {
            "type": TYPE_BASE + self.kind,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            **self.extra,
        }
        if instance:
            body["instance"] = instance
        return body


def problem_response(problem: Problem, *, instance: str = "") -> JsonResponse:
    response = JsonResponse(problem.body(instance), status=problem.status, content_type=PROBLEM_CONTENT_TYPE)
    for name, value in problem.headers.items():
        response[name] = value
    return response
