"""Who is calling the repairs API: a bearer key, checked for its scope and its rate limit.

A keyed client is limited per key (`keys.take_allowance`); a call with no key, or a key that is wrong,
is counted per client address (API_ANONYMOUS_RATE, shared with Open311's reads), so guessing keys or
hammering the API without one ends in 429 problems too.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from repairs.abuse import Limit, hit

from .keys import key_for_secret, take_allowance
from .models import ApiKey, Scope
from .nul import NUL_MESSAGE, carries_nul
from .problems import Problem


def anonymous_limit() -> Limit:
    return Limit.from_settings("api-anonymous", "API_ANONYMOUS_RATE")


def count_anonymous(request: HttpRequest) -> None:
    """Count a call without a valid key against its client address; a 429 problem once over the limit."""
    verdict = hit(request, anonymous_limit())
    if not verdict.allowed:
        raise Problem(
            429,
            "rate-limited",
            f"Too many calls without a valid API key from this address. Try again in {verdict.retry_after}s.",
            headers={"Retry-After": str(verdict.retry_after)},
        )


class ScopedKey(HttpBearer):
    """`Authorization: Bearer <key>`: a live key holding `scope`, with calls left this minute."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope

    def __call__(self, request: HttpRequest) -> ApiKey | None:
        try:
            api_key = super().__call__(request)
        except Problem as problem:
            if problem.status == 401:
                count_anonymous(request)
            raise
        if api_key is None:
            count_anonymous(request)
        return api_key

    def authenticate(self, request: HttpRequest, token: str) -> ApiKey:
        if carries_nul(request):
            raise Problem(422, "invalid-characters", NUL_MESSAGE)
        api_key = key_for_secret(token)
        if api_key is None:
            raise Problem(
                401,
                "invalid-key",
                "The API key is missing, unknown, revoked or expired.",
                headers={"WWW-Authenticate": 'Bearer realm="repairs"'},
            )
        if not api_key.allows(self.scope):
            raise Problem(403, "missing-scope", f"This API key does not have the '{self.scope}' scope.")
        allowance = take_allowance(api_key)
        request.rate_limit = allowance
        if not allowance.allowed:
            raise Problem(
                429,
                "rate-limited",
                f"This key may make {allowance.limit} calls a minute. "
                f"Try again in {allowance.reset_seconds}s.",
                headers={"Retry-After": str(allowance.reset_seconds), **rate_headers(allowance)},
            )
        if allowance.remaining == allowance.limit - 1:  # first call this minute: note it, once a minute
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=timezone.now())
        return api_key


def rate_headers(allowance) -> dict[str, str]:
    return {
        "RateLimit-Limit": str(allowance.limit),
        "RateLimit-Remaining": str(allowance.remaining),
        "RateLimit-Reset": str(allowance.reset_seconds),
    }
