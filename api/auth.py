"""Who is calling the repairs API: a bearer key, checked for its scope and its rate limit."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from .keys import key_for_secret, take_allowance
from .models import ApiKey, Scope
from .nul import NUL_MESSAGE, carries_nul
from .problems import Problem


class ScopedKey(HttpBearer):
    """`Authorization: Bearer <key>`: a live key holding `scope`, with calls left this minute."""

    def __init__(self, scope: Scope) -> None:
        super().__init__()
        self.scope = scope

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
