"""Scheduler credentials encrypted at rest: a text field that stores Fernet tokens.

Why not django-fernet-encrypted-fields (the maintained library): it derives its keys from
SECRET_KEY, so rotating the signing key silently loses every stored credential unless the old one is
kept in SECRET_KEY_FALLBACKS; it stores a blank value as NULL; and a token it cannot decrypt is handed
back as if it were the secret. Here the keys are their own setting (`FIELD_ENCRYPTION_KEYS`, Fernet
keys, newest first, so a new key is added in front and old rows still read), blank stays blank, and a
token no key opens is a clear error.

With DEBUG on and no keys set, a key is derived from SECRET_KEY and a warning says so; settings refuse
to start without keys when DEBUG is off.
"""

from __future__ import annotations

import base64
import functools
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

logger = logging.getLogger(__name__)


def derived_key(secret_key: str) -> bytes:
    """A Fernet key derived from SECRET_KEY: the local-run default only."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"repairs-online field encryption")
    return base64.urlsafe_b64encode(raw.derive(secret_key.encode()))


@functools.cache
def _fernet(keys: tuple[str, ...], secret_key: str) -> MultiFernet:
    if not keys:
        logger.warning(
            "FIELD_ENCRYPTION_KEYS is not set: scheduler credentials are encrypted with a key derived "
            "from SECRET_KEY. Set FIELD_ENCRYPTION_KEYS before going live."
        )
        return MultiFernet([Fernet(derived_key(secret_key))])
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS must be Fernet keys (32 url-safe base64-encoded bytes), comma-separated."
        ) from error


def fernet() -> MultiFernet:
    """The keys in force now (cached per setting, so tests that change the setting get new keys)."""
    return _fernet(tuple(getattr(settings, "FIELD_ENCRYPTION_KEYS", ()) or ()), settings.SECRET_KEY)


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored scheduler credential cannot be decrypted with FIELD_ENCRYPTION_KEYS: "
            "keep the old key in the list (after the new one) until every row is re-saved."
        ) from None


class EncryptedTextField(models.TextField):
    """Text kept as a Fernet token in the database and plain in Python. Never filter on it."""

    def from_db_value(self, value, expression, connection):
        return value if value is None else decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return value if value is None else encrypt(value)
