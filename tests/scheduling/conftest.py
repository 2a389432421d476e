"""Fixtures for the scheduling tests: fake vendor servers and a real Radicale."""

from __future__ import annotations

import datetime
import uuid

import pytest

from scheduling.adapters.drs import forget_sessions
from scheduling.models import SchedulerConnection, SchedulerKind
from scheduling.port import LONDON
from tests.scheduling.fakes.drs import FakeDrs
from tests.scheduling.fakes.radicale import USERS, radicale_server
from tests.scheduling.fakes.totalmobile import INSTANCE, WORLD, FakeTotalMobile


def next_monday(weeks_ahead: int = 2) -> datetime.datetime:
    """Midnight (London) on a Monday at least `weeks_ahead` weeks away: clear of the booking lead time."""
    today = datetime.datetime.now(LONDON).date()
    monday = today + datetime.timedelta(days=7 * weeks_ahead - today.weekday())
    return datetime.datetime.combine(monday, datetime.time(), LONDON)


@pytest.fixture
def fake_drs(httpserver):
    """A strict DRS gateway; any request that breaks the published schema fails the test."""
    forget_sessions()  # a session cached by an earlier test belongs to an earlier fake
    fake = FakeDrs()
    httpserver.expect_request("/ws/soap", method="POST").respond_with_handler(fake.handle)
    yield fake
    forget_sessions()
    assert fake.invalid == [], f"requests that broke the WSDL's schema: {fake.invalid}"


@pytest.fixture
def drs_connection(httpserver, fake_drs) -> SchedulerConnection:
    return SchedulerConnection(
        name="DRS",
        kind=SchedulerKind.DRS,
        endpoint_url=httpserver.url_for("/ws/soap"),
        username=fake_drs.login,
        password=fake_drs.password,
        contract="H01",
        timeout_seconds=2,
        inbound_username="drs",
        inbound_secret="drs-shared-secret",
    )


@pytest.fixture
def fake_totalmobile(httpserver, monkeypatch):
    # oauthlib refuses plain-HTTP token URLs unless told this is a local test server.
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    fake = FakeTotalMobile()
    fake.install(httpserver)
    yield fake
    assert fake.invalid == [], f"requests that broke the public client's shapes: {fake.invalid}"


@pytest.fixture
def totalmobile_connection(httpserver, fake_totalmobile) -> SchedulerConnection:
    return SchedulerConnection(
        name="Total Mobile",
        kind=SchedulerKind.TOTALMOBILE,
        endpoint_url=httpserver.url_for("/"),
        client_id=fake_totalmobile.client_id,
        client_secret=fake_totalmobile.client_secret,
        instance=INSTANCE,
        world=WORLD,
        timeout_seconds=2,
        inbound_username="totalmobile",
        inbound_secret="tm-shared-secret",
    )


@pytest.fixture(scope="session")
def radicale_url(tmp_path_factory):
    with radicale_server(tmp_path_factory.mktemp("radicale")) as url:
        yield url


@pytest.fixture
def caldav_connection(radicale_url, request) -> SchedulerConnection:
    """A fresh calendar on the Radicale server for each test."""
    import caldav

    client = caldav.DAVClient(
        url=radicale_url, username="repairs", password=USERS["repairs"], require_tls=False
    )
    calendar_id = f"team-{uuid.uuid4().hex[:12]}"
    calendar = client.principal().make_calendar(name="Repairs team", cal_id=calendar_id)
    return SchedulerConnection(
        name="Calendar",
        kind=SchedulerKind.CALDAV,
        endpoint_url=str(calendar.url),
        username="repairs",
        password=USERS["repairs"],
        timeout_seconds=5,
    )
