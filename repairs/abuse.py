"""Keeping scripts off the public pages: a per-address limit in the shared cache (the status look-up
and reporting both use it) and a honeypot field that people never see and form-filling bots complete.

Behind reverse proxies every request comes from the proxy's address, which would put all residents
under one limit: with TRUSTED_PROXY_HOPS set, the client is read from X-Forwarded-For that many entries
from the right (the entries our own proxies added), never from the left, which the client can forge.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

HONEYPOT_FIELD = "website"


def client_ip(request: HttpRequest) -> str:
    hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            return forwarded[-hops]
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
