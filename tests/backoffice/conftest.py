"""Staff in each role, signed in, and jobs to look at."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from backoffice.models import StaffProfile
from repairs.models import WorkTeam
from tests.repairs.factories import JobFactory, TradeFactory, WorkTeamFactory
from tests.workflows.factories import user_in_role


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def manager(db):
    return user_in_role("Repairs managers")


@pytest.fixture
def agent(db):
    return user_in_role("Contact-centre agents")


@pytest.fixture
def contractor_team(db) -> WorkTeam:
    return WorkTeamFactory(name="Acme Plumbing", kind=WorkTeam.Kind.CONTRACTOR)


@pytest.fixture
def other_team(db) -> WorkTeam:
    return WorkTeamFactory(name="Bolt Electrical", kind=WorkTeam.Kind.CONTRACTOR)


@pytest.fixture
def contractor(db, contractor_team):
    user = user_in_role("Contractors")
    StaffProfile.objects.create(user=user, team=contractor_team)
    return user


@pytest.fixture
def manager_client(manager) -> Client:
    return signed_in(manager)


@pytest.fixture
def plumbing_overdue_job(db):
    job = JobFactory(trade=TradeFactory(code="PL", name="Plumbing"), description="Leak under the sink")
    job.due_at = timezone.now() - datetime.timedelta(days=1)
    job.save(update_fields=["due_at"])
    return job
