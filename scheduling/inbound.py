"""Authentication of schedulers' pushes: HTTP basic auth or a shared-secret header, compared in
constant time against the connection's inbound credentials."""

from __future__ import annotations

import base64
import binascii
import hmac

from django.http import HttpRequest

from .models import SchedulerConnection

SECRET_HEADER = "HTTP_X_SHARED_SECRET"


def _equal(given: str, expected: str) -> bool:
    return hmac.compare_digest(given.encode(), expected.encode())


def is_authenticated(request: HttpRequest, connection: SchedulerConnection) -> bool:
    """True when the request carries the connection's inbound user name and secret.

    A connection with no inbound secret accepts nothing: an unconfigured endpoint is closed.
    """
    secret = connection.inbound_secret
    if not secret:
        return False
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header.lower().startswith("basic "):
        try:
            decoded = base64.b64decode(header[6:].strip(), validate=True).decode()
        except (binascii.Error, UnicodeDecodeError):
            return False
        username, _, password = decoded.partition(":")
        # Both compared every time, so timing does not say which was wrong.
        user_ok = _equal(username, connection.inbound_username)
        secret_ok = _equal(password, secret)
        return user_ok and secret_ok
    shared = request.META.get(SECRET_HEADER)
    return shared is not None and _equal(shared, secret)
