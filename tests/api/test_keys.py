"""API keys: hashed, scoped, revocable, expiring, rate limited, and managed in the Wagtail admin."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from api.keys import digest, issue_key, revoke
from api.models import ApiKey, Scope
from tests.workflows.factories import UserFactory

pytestmark = pytest.mark.django_db


def addresses(client, secret: str):
    return client.get("/api/v1/addresses", {"postcode": "AA1 1AB"}, HTTP_AUTHORIZATION=f"Bearer {secret}")


def test_only_a_digest_of_the_secret_is_stored(register):
    issued = issue_key(name="CRM", scopes=[Scope.ADDRESSES])
    stored = ApiKey.objects.get(pk=issued.api_key.pk)
    assert issued.secret not in (stored.secret_hash, stored.prefix)
    assert stored.secret_hash == digest(issued.secret)


@pytest.mark.parametrize("secret", ["", "ro_nothing", "ro_abcd1234_wrong", "Basic abc"])
def test_a_wrong_key_is_unauthorised(client, register, secret):
    answer = addresses(client, secret)
    assert answer.status_code == 401 and answer["Content-Type"] == "application/problem+json"
    assert answer["WWW-Authenticate"].startswith("Bearer")


def test_a_revoked_or_expired_key_stops_working(client, register):
    revoked = issue_key(name="Old CRM", scopes=[Scope.ADDRESSES])
    assert addresses(client, revoked.secret).status_code == 200
    revoke(revoked.api_key)
    assert addresses(client, revoked.secret).status_code == 401
    expired = issue_key(
        name="Trial", scopes=[Scope.ADDRESSES], expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert addresses(client, expired.secret).status_code == 401


def test_a_key_without_the_scope_is_forbidden(client, register):
    issued = issue_key(name="Slots only", scopes=[Scope.SLOTS])
    answer = addresses(client, issued.secret)
    assert answer.status_code == 403 and answer.json()["type"].endswith("missing-scope")


def test_each_key_has_its_own_rate_limit_per_minute(client, register):
    limited = issue_key(name="Busy", scopes=[Scope.ADDRESSES], rate_limit_per_minute=2)
    other = issue_key(name="Quiet", scopes=[Scope.ADDRESSES], rate_limit_per_minute=2)
    first = addresses(client, limited.secret)
    assert first.status_code == 200 and first["RateLimit-Remaining"] == "1"
    assert addresses(client, limited.secret).status_code == 200
    refused = addresses(client, limited.secret)
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert refused.json()["type"].endswith("rate-limited")
    assert addresses(client, other.secret).status_code == 200


def test_an_administrator_makes_a_key_sees_it_once_and_revokes_it(client, register):
    client.force_login(UserFactory(is_superuser=True))
    made = client.post(
        "/admin/api_keys/new/",
        {"name": "Contact centre", "scopes": [Scope.ADDRESSES, Scope.BOOK], "rate_limit_per_minute": 30},
        follow=True,
    )
    assert made.status_code == 200
    key = ApiKey.objects.get(name="Contact centre")
    shown = [str(m) for m in made.context["messages"]]
    secret = next(part for part in shown[0].split("<code>")[1:]).split("</code>")[0]
    assert digest(secret) == key.secret_hash and sorted(key.scopes) == sorted([Scope.ADDRESSES, Scope.BOOK])
    assert addresses(client, secret).status_code == 200
    listing = client.get("/admin/api_keys/")
    assert listing.status_code == 200 and secret.encode() not in listing.content
    edited = client.post(
        f"/admin/api_keys/edit/{key.pk}/",
        {"name": "Contact centre", "scopes": [Scope.ADDRESSES], "rate_limit_per_minute": 30, "revoked": "on"},
    )
    assert edited.status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None and key.secret_hash == digest(secret)
    assert addresses(client, secret).status_code == 401
