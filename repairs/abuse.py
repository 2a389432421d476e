"""Keeping scripts off the public pages: a per-address limit in the shared cache (the status look-up
and reporting both use it) and a honeypot field that people never see and form-filling bots complete.

The client address is REMOTE_ADDR: behind a proxy, gunicorn's `--forwarded-allow-ips` (docs/deploy.md)
makes it the resident's, so one busy office behind one address is limited as one client.
"""

from __future__ import annotations

from django.core.cache import cache
from django.http import HttpRequest

HONEYPOT_FIELD = "website"


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def over_limit(request: HttpRequest, *, scope: str, limit: int, window: int) -> bool:
    """Count this request against `scope` for its client address; True once past `limit` in `window`."""
    key = f"repairs:{scope}:{client_ip(request)}"
    cache.add(key, 0, window)
    try:
        tries = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        tries = 1
    return tries > limit


def honeypot_filled(request: HttpRequest) -> bool:
    """The hidden field has text in it: a person never sees it, so a bot wrote it."""
    return bool(request.POST.get(HONEYPOT_FIELD, "").strip())
