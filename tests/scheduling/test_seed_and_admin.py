"""The demo seed offers slots and is safe to run twice; the admin lists the needs-booking queue."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from scheduling.booking import slots_for_job
from scheduling.models import NeedsBooking, Operative, RoutingRule, WorkingHours
from tests.repairs.factories import JobFactory, TradeFactory
from tests.scheduling.conftest import next_monday
from tests.workflows.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent():
    call_command("seed_scheduling_demo")
    counts = (Operative.objects.count(), WorkingHours.objects.count(), RoutingRule.objects.count())
    call_command("seed_scheduling_demo")
    assert counts == (Operative.objects.count(), WorkingHours.objects.count(), RoutingRule.objects.count())
    assert counts[0] >= 5


def test_seeded_council_offers_plumbing_slots_online():
    plumbing = TradeFactory(code="PL")  # shipped by a data migration; made here for runs that flushed it
    call_command("seed_scheduling_demo")
    job = JobFactory(trade=plumbing)
    shapes = {slot.shape for slot in slots_for_job(job=job, start=next_monday()).slots}
    assert shapes == {"am", "pm", "school", "allday"}


def test_admin_lists_jobs_needing_booking(client):
    job = JobFactory()
    NeedsBooking.objects.create(job=job, reason="DRS fault on createOrder: DRS is unavailable")
    client.force_login(UserFactory(is_superuser=True))
    response = client.get("/admin/needs_booking/")
    assert response.status_code == 200
    assert b"DRS fault on createOrder" in response.content


def test_check_schedulers_names_the_one_that_is_down(drs_connection, fake_drs):
    from io import StringIO

    from django.core.management.base import CommandError

    call_command("seed_scheduling_demo")
    drs_connection.password = "wrong"
    drs_connection.save()
    out = StringIO()
    with pytest.raises(CommandError, match="1 scheduler"):
        call_command("check_schedulers", stdout=out)
    assert "DOWN DRS: DRS refused the login" in out.getvalue()
    assert "ok   Built-in calendar" in out.getvalue()


def test_scheduler_secrets_are_not_shown_back_and_a_blank_keeps_them(client):
    from scheduling.models import SchedulerConnection

    connection = SchedulerConnection.objects.create(
        name="DRS",
        kind="drs",
        username="drs-user",
        password="very-secret-pass",
        inbound_secret="shared-inbound",
    )
    client.force_login(UserFactory(is_superuser=True))
    url = f"/admin/schedulers/edit/{connection.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    assert b"very-secret-pass" not in page.content and b"shared-inbound" not in page.content
    response = client.post(
        url,
        {
            "name": "DRS",
            "kind": "drs",
            "endpoint_url": "",
            "username": "drs-user",
            "password": "",
            "client_id": "",
            "client_secret": "",
            "instance": "",
            "world": "",
            "contract": "H02",
            "inbound_username": "",
            "inbound_secret": "",
            "timeout_seconds": "10",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    connection.refresh_from_db()
    assert (connection.contract, connection.password, connection.inbound_secret) == (
        "H02",
        "very-secret-pass",
        "shared-inbound",
    )
