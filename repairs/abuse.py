"""Keeping scripts off the public pages: per-client limits counted in the shared cache, and a honeypot
field that people never see and form-filling bots complete.

One small limiter serves reporting, the status look-up and its links, and the APIs' anonymous reads.
It counts in fixed windows aligned to the clock (`scope`, client, window number), so every gunicorn
process and machine sharing the cache (Redis in production) shares one count, and a refusal can say
exactly when the window ends (`Retry-After`). django-ratelimit would count the same way, but says
nothing of when the window ends and would add a second notion of "the client" beside the proxy rule
below; django-ninja's throttles reach only ninja views, not Open311 or the status pages.

Behind reverse proxies every request comes from the proxy's address, which would put all residents
under one limit: with TRUSTED_PROXY_HOPS set, the client is read from X-Forwarded-For that many entries
from the right (the entries our own proxies added), never from the left, which the client can forge.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, caches
from django.core.cache.backends.redis import RedisCache
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

HONEYPOT_FIELD = "website"


@dataclass(frozen=True)
class Limit:
    """At most `limit` counted requests per client in each `window` seconds."""

    scope: str
    limit: int
    window: int

    @classmethod
    def from_settings(cls, scope: str, prefix: str) -> Limit:
        """The limit named by the settings `<prefix>_LIMIT` and `<prefix>_WINDOW`."""
        return cls(
            scope, int(getattr(settings, f"{prefix}_LIMIT")), int(getattr(settings, f"{prefix}_WINDOW"))
        )


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until this window ends


def client_ip(request: HttpRequest) -> str:
    hops = getattr(settings, "TRUSTED_PROXY_HOPS", 0)
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _counter(limit: Limit, who: str, now: int) -> str:
    # Hashed so an address (or anything a caller passes as `who`) is never a cache key in clear.
    digest = hashlib.sha256(who.encode()).hexdigest()[:32]
    return f"abuse:{limit.scope}:{digest}:{now // limit.window}"


def _backend():
    return caches[DEFAULT_CACHE_ALIAS]


def _count(key: str, ttl: int) -> int:
    """Add one to the counter `key`, made with `ttl` if new, and return it.

    On Redis this is one round trip (SET NX EX, then INCR, pipelined): Django's `incr` would cost two
    and `add` a third, on every status view. Redis out of reach counts as a first use, as
    config.cache does: the limits protect the service and never fail a resident's request."""
    backend = _backend()
    if isinstance(backend, RedisCache):
        name = backend.make_and_validate_key(key)
        try:
            pipe = backend._cache.get_client(name, write=True).pipeline(transaction=False)
            pipe.set(name, 0, ex=ttl, nx=True)
            pipe.incr(name)
            return int(pipe.execute()[1])
        except (RedisConnectionError, RedisTimeoutError):
            return 1
    try:
        return backend.incr(key)
    except ValueError:  # the first request of this window
        return 1 if backend.add(key, 1, ttl) else backend.incr(key)


def hit(request: HttpRequest, limit: Limit, *, who: str = "") -> Verdict:
    """Count this request against `limit` for its client; refused once past the limit in this window."""
    now = int(time.time())
    used = _count(_counter(limit, who or client_ip(request), now), limit.window + 5)
    return Verdict(used <= limit.limit, limit.window - now % limit.window)


def spent(request: HttpRequest, limit: Limit, *, who: str = "") -> Verdict:
    """Whether the client has already used up `limit` this window, without counting this request."""
    now = int(time.time())
    used = _backend().get(_counter(limit, who or client_ip(request), now), 0)
    return Verdict(used < limit.limit, limit.window - now % limit.window)


def over_limit(request: HttpRequest, *, scope: str, limit: int, window: int) -> bool:
    """Count this request against `scope` for its client address; True once past `limit` in `window`."""
    return not hit(request, Limit(scope, limit, window)).allowed


def too_many_page(request: HttpRequest, verdict: Verdict, *, template: str, title: str) -> HttpResponse:
    """The GOV.UK page a person sees when refused: 429, `Retry-After`, and how long to wait in words."""
    minutes = max(1, -(-verdict.retry_after // 60))  # rounded up
    response = TemplateResponse(request, template, {"title": title, "minutes": minutes}, status=429)
    response["Retry-After"] = str(verdict.retry_after)
    response["Cache-Control"] = "no-store"
    return response


def honeypot_filled(request: HttpRequest) -> bool:
    """The hidden field has text in it: a person never sees it, so a bot wrote it."""
    return bool(request.POST.get(HONEYPOT_FIELD, "").strip())
