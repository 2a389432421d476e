"""The demo's logins: one per role, printed by setup_demo, still valid on the next run."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client, override_settings

from backoffice.management.commands import setup_demo
from backoffice.models import StaffProfile
from repairs.models import WorkTeam

pytestmark = pytest.mark.django_db


@pytest.fixture
def no_demo_data(monkeypatch):
    """The demo's data steps are tested by their own apps; here only the logins are made."""
    monkeypatch.setattr(setup_demo, "DEMO_STEPS", ())
    WorkTeam.objects.create(name=setup_demo.DEMO_CONTRACTOR, kind=WorkTeam.Kind.CONTRACTOR)


def run() -> str:
    out = io.StringIO()
    call_command("setup_demo", stdout=out)
    return out.getvalue()


@override_settings(DEBUG=True)
def test_each_role_has_a_login_printed_with_what_it_may_do_and_it_still_works_next_run(no_demo_data) -> None:
    first = run()
    second = run()
    assert first == second
    assert "fixed demo passwords, DEBUG only" in first
    for login in setup_demo.DEMO_LOGINS:
        line = next(line for line in first.splitlines() if line.strip().startswith(login.username + " "))
        password = line.split()[1]
        assert login.may in line
        assert Client().login(username=login.username, password=password), login.username
    roles = {
        name: set(User.objects.get(username=name).groups.values_list("name", flat=True))
        for name in ("manager", "agent", "contractor", "editor", "approver")
    }
    assert roles == {
        "manager": {"Repairs managers"},
        "agent": {"Contact-centre agents"},
        "contractor": {"Contractors"},
        "editor": {"Content editors"},
        "approver": {"Content approvers"},
    }
    assert StaffProfile.objects.get(user__username="contractor").team.name == setup_demo.DEMO_CONTRACTOR
    assert User.objects.get(username="admin").is_superuser
    assert not User.objects.get(username="manager").is_superuser


@override_settings(DEBUG=False)
def test_outside_debug_no_published_password_is_ever_set(no_demo_data) -> None:
    output = run()
    assert "random passwords" in output
    for login in setup_demo.DEMO_LOGINS:
        assert login.demo_password not in output
        assert not Client().login(username=login.username, password=login.demo_password)


def test_wagtails_unused_starter_groups_are_gone_and_the_projects_roles_stay() -> None:
    names = set(Group.objects.values_list("name", flat=True))
    assert not names & {"Moderators", "Editors"}
    assert {"Repairs managers", "Contact-centre agents", "Contractors", "Content editors"} <= names
