"""A register, a routed plumbing team and API keys for the API tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from api.keys import issue_key
from api.models import Scope
from tests.properties.factories import BlockFactory, CommunalAreaFactory, PropertyFactory
from tests.repairs.factories import PriorityFactory, TradeFactory
from tests.scheduling.factories import ConnectionFactory, RoutingRuleFactory, builtin_team

ALL_SCOPES = [scope.value for scope in Scope]
POSTCODE = "AA1 1AB"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate-limit counters and status pages from an earlier test
    yield
    cache.clear()


@pytest.fixture
def register(db):
    """Two homes and a block's lift at AA1 1AB, plumbing booked in the built-in calendar."""
    team = builtin_team(trade_code="PL", operatives=1)
    plumbing = TradeFactory(code="PL", name="Plumbing")
    RoutingRuleFactory(trade=plumbing, connection=ConnectionFactory(), team=team)
    TradeFactory(code="LF", name="Lifts")
    PriorityFactory(code="RO", name="Routine")
    block = BlockFactory(postcode="AA1 1AB", name="Kestrel House")
    homes = [
        PropertyFactory(
            address_line_1=f"Flat {n}", address_line_2="Kestrel House", block=block, postcode=POSTCODE
        )
        for n in (2, 12)
    ]
    lift = CommunalAreaFactory(block=block, name="Lift A")
    return {"homes": homes, "lift": lift, "block": block}


@pytest.fixture
def key_secret(db):
    """`key_secret(*scopes, **fields)` issues a key and returns its secret."""

    def make(*scopes: str, **fields) -> str:
        return issue_key(name="Partner CRM", scopes=list(scopes or ALL_SCOPES), **fields).secret

    return make


@pytest.fixture
def bearer(key_secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {key_secret()}"}
