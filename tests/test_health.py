"""/health/ tells a load balancer whether this process can serve: database, cache, storage, broker."""

from __future__ import annotations

import socket

import pytest

from config.health import Broker, configured_checks


@pytest.mark.django_db
def test_health_is_ok_in_the_embedded_run(client):
    response = client.get("/health/?format=json")

    assert response.status_code == 200
    body = response.json()
    assert set(body.values()) == {"OK"}
    assert {key.split("(")[0] for key in body} == {"Database", "Cache", "Storage"}
    assert "no-cache" in response.headers["Cache-Control"]


@pytest.mark.django_db
def test_a_failing_cache_makes_health_a_500(client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }

    response = client.get("/health/?format=json")

    assert response.status_code == 500
    assert any(value != "OK" for value in response.json().values())


def test_the_broker_is_checked_only_when_one_is_configured(settings):
    settings.CELERY_BROKER_URL = ""
    assert Broker not in configured_checks()

    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    assert Broker in configured_checks()


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_an_unreachable_broker_makes_health_a_500(client, settings):
    from config.celery import app

    broker = f"redis://127.0.0.1:{unused_port()}/0"
    settings.CELERY_BROKER_URL = broker
    original = app.conf.broker_url
    app.conf.broker_url = broker
    try:
        response = client.get("/health/?format=json")
    finally:
        app.conf.broker_url = original

    assert response.status_code == 500
    assert "Broker unreachable" in response.json()["Broker()"]


@pytest.mark.django_db
def test_a_reachable_broker_is_ok(client, settings):
    """Against the real Redis the CI runs (REDIS_TEST_URL)."""
    import os

    url = os.environ.get("REDIS_TEST_URL")
    if not url:
        pytest.skip("set REDIS_TEST_URL=redis://127.0.0.1:6379/<db> to check against a real Redis")
    from config.celery import app

    settings.CELERY_BROKER_URL = url
    original = app.conf.broker_url
    app.conf.broker_url = url
    try:
        response = client.get("/health/?format=json")
    finally:
        app.conf.broker_url = original

    assert response.status_code == 200, response.json()
