"""Keys for partner systems and the record that makes a retried booking one report.

A key's secret is shown once when it is made and stored only as a SHA-256 digest: the secret is 32
random bytes, so a slow password hash would add nothing but latency to every call. The short prefix
finds the row; the digest is compared in constant time.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    ADDRESSES = "addresses:read", "Read addresses at a postcode"
    SLOTS = "slots:read", "Read available appointments"
    BOOK = "book", "Report and book repairs, change or cancel appointments"
    STATUS = "status:read", "Read a repair's status and timeline"


class ApiKey(models.Model):
    name = models.CharField(max_length=150, help_text="Who uses this key, for example 'Contact centre CRM'.")
    prefix = models.CharField(max_length=12, unique=True, editable=False)
    secret_hash = models.CharField(max_length=64, editable=False)
    scopes = models.JSONField(default=list, help_text="What the key may do.")
    rate_limit_per_minute = models.PositiveIntegerField(
        default=60, help_text="Calls a minute before the API answers 429 Too Many Requests."
    )
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Leave empty for no expiry.")
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def allows(self, scope: str) -> bool:
        return scope in (self.scopes or [])


class IdempotentBooking(models.Model):
    """One booking call per (key, Idempotency-Key): a retry gets the first answer back, not a new report."""

    wagtail_reference_index_ignore = True  # operational rows: see docs/performance.md, reference index

    api_key = models.ForeignKey(ApiKey, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["api_key", "key"], name="one_booking_per_idempotency_key")
        ]

    def __str__(self) -> str:
        return self.key
