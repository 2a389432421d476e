"""The reports page: who may see it, its figures for a period and filters, and clear errors."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from backoffice.models import StaffProfile
from repairs.models import WorkTeam
from tests.repairs.factories import JobFactory, WorkTeamFactory
from tests.workflows.factories import UserFactory, user_in_role

pytestmark = pytest.mark.django_db
URL = "/back-office/reports/"
PERIOD = {"start": "30/03/2026", "end": "26/04/2026"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def manager_client(db) -> Client:
    return client_for(user_in_role("Repairs managers", is_staff=True))


def headline(html: str, key: str) -> str:
    match = re.search(
        rf"<dt class=\"govuk-summary-list__key\">{re.escape(key)}</dt><dd[^>]*>(.*?)</dd>", html
    )
    assert match, key
    return match.group(1)


def test_a_manager_sees_the_figures_for_the_period(service, manager_client) -> None:
    response = manager_client.get(URL, PERIOD)
    html = response.content.decode()
    assert response.status_code == 200
    assert "From 30 March 2026 to 26 April 2026" in html
    assert headline(html, "Jobs completed") == "5"
    assert headline(html, "Average working days to complete") == "7.0"
    assert headline(html, "9 in 10 jobs completed within") == "23 working days"
    assert headline(html, "First-time fix").startswith("60% (3 of 5 repairs")
    assert headline(html, "No access").startswith("29% (2 of 7 visits)")
    assert headline(html, "Reports per communal job").startswith("3.0 (3 reports on 1 communal job; 2 joined")
    assert "Over 4 weeks, 8 jobs raised and 5 completed." in html
    assert "£350.00" in html  # Northfield's actual cost


def test_filters_narrow_the_figures_and_are_listed(service, manager_client) -> None:
    html = manager_client.get(URL, PERIOD | {"trade": service.electrical.pk}).content.decode()
    assert headline(html, "Jobs completed") == "1"
    assert '<span class="moj-filter__tag">Electrical</span>' in html


def test_awaabs_law_figures_or_a_clear_not_yet_recorded(service, manager_client) -> None:
    import importlib.util

    html = manager_client.get(URL, PERIOD).content.decode()
    if importlib.util.find_spec("workflows.hazards") is None:
        assert "Not yet recorded." in html
    else:
        assert 'id="hazards"' in html and "Not yet recorded." not in html


def test_a_bad_date_is_explained_and_no_figures_are_shown(service, manager_client) -> None:
    response = manager_client.get(URL, {"start": "31/02/2026", "end": "26/04/2026"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and "Enter a valid date." in html
    assert 'id="headline"' not in html


def test_an_end_before_the_start_is_refused(service, manager_client) -> None:
    response = manager_client.get(URL, {"start": "26/04/2026", "end": "30/03/2026"})
    assert response.status_code == 400
    assert "The end date must be the same as or after the start date." in response.content.decode()


def test_contractors_and_agents_may_not_see_the_reports(db) -> None:
    contractor = user_in_role("Contractors", is_staff=True)
    StaffProfile.objects.create(user=contractor, team=WorkTeamFactory(kind=WorkTeam.Kind.CONTRACTOR))
    agent = user_in_role("Contact-centre agents", is_staff=True)
    assert client_for(contractor).get(URL).status_code == 403
    assert client_for(agent).get(URL).status_code == 403
    assert Client().get(URL).status_code == 302  # to the admin's sign-in


def test_the_back_office_menu_links_to_reports_for_managers_only(manager_client) -> None:
    assert 'href="/back-office/reports/"' in manager_client.get("/back-office/").content.decode()
    staff = UserFactory(is_staff=True)
    assert 'href="/back-office/reports/"' not in client_for(staff).get("/back-office/").content.decode()


def test_the_page_runs_the_same_queries_whatever_the_number_of_jobs(service, manager_client) -> None:
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert manager_client.get(URL, PERIOD).status_code == 200
        return len(captured)

    queries()  # the first request also reads what is cached afterwards (settings, the session)
    first = queries()
    JobFactory.create_batch(15, trade=service.plumbing, priority=service.routine)
    assert queries() == first
