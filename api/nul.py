"""PostgreSQL text cannot hold NUL characters: a request carrying one is refused up front, never a 500."""

from __future__ import annotations

from django.http import HttpRequest

NUL_MESSAGE = "The request contains a NUL character, which no field accepts."


def carries_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path:
        return True
    for values in (request.GET, request.POST if request.method == "POST" else {}):
        if any("\x00" in value for key in values for value in [*values.getlist(key), key]):
            return True
    body = request.body if request.content_type == "application/json" else b""
    return b"\x00" in body or b"\\u0000" in body
