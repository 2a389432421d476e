"""Making, finding and checking API keys; the per-key rate limit counted in the Django cache."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from .models import ApiKey

KEY_PREFIX = "ro_"
WINDOW_SECONDS = 60


@dataclass(frozen=True)
class IssuedKey:
    api_key: ApiKey
    secret: str  # shown once; only its digest is stored


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_key(*, name: str, scopes: list[str], **fields) -> IssuedKey:
    """Make and save a key; the returned secret is the only time anyone sees it."""
    api_key = ApiKey(name=name, scopes=list(scopes), **fields)
    secret = fill_new_secret(api_key)
    api_key.save()
    return IssuedKey(api_key, secret)


def fill_new_secret(api_key: ApiKey) -> str:
    """Give an unsaved key a fresh prefix and secret digest; return the full secret to show once."""
    prefix = secrets.token_hex(4)
    secret = f"{KEY_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    api_key.prefix = prefix
    api_key.secret_hash = digest(secret)
    return secret


def key_for_secret(secret: str) -> ApiKey | None:
    """The live key for a secret as sent, or None (unknown, malformed, revoked or expired)."""
    if not secret.startswith(KEY_PREFIX) or len(secret) > 100:
        return None
    prefix, sep, _ = secret[len(KEY_PREFIX) :].partition("_")
    if not sep:
        return None
    api_key = ApiKey.objects.filter(prefix=prefix).first()
    if api_key is None or not hmac.compare_digest(api_key.secret_hash, digest(secret)):
        return None
    return api_key if api_key.is_usable() else None


def revoke(api_key: ApiKey) -> None:
    if api_key.revoked_at is None:
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["revoked_at"])


@dataclass(frozen=True)
class Allowance:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: int


def take_allowance(api_key: ApiKey) -> Allowance:
    """Count one call against the key's fixed one-minute window (shared by every process via the cache)."""
    now = int(timezone.now().timestamp())
    window = now // WINDOW_SECONDS
    counter = f"api:rate:{api_key.pk}:{window}"
    cache.add(counter, 0, WINDOW_SECONDS + 5)
    try:
        used = cache.incr(counter)
    except ValueError:  # expired between add and incr
        cache.set(counter, 1, WINDOW_SECONDS + 5)
        used = 1
    limit = api_key.rate_limit_per_minute
    reset = WINDOW_SECONDS - now % WINDOW_SECONDS
    return Allowance(used <= limit, limit, max(limit - used, 0), reset)
