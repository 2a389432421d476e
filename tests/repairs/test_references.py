"""Report references: short, readable over the phone, random, unique; status tokens unguessable."""

from __future__ import annotations

import itertools
import re

import pytest

from repairs.models import REFERENCE_ALPHABET, new_report_reference, new_status_token
from repairs.references import NoFreeReference, normalise_reference, save_with_unique_reference
from repairs.selectors import report_by_reference, report_by_status_token
from tests.repairs.factories import JobFactory, ReportFactory

from .reporting import report


def test_alphabet_has_no_characters_misheard_as_each_other():
    assert not set("01OIL") & set(REFERENCE_ALPHABET)


def test_reference_is_short_and_made_of_the_phone_safe_alphabet():
    references = [new_report_reference() for _ in range(2000)]

    assert all(re.fullmatch(rf"RP-[{REFERENCE_ALPHABET}]{{6}}", ref) for ref in references)
    assert len(set(references)) == len(references)


def test_references_made_one_after_another_share_no_pattern():
    references = [new_report_reference()[3:] for _ in range(500)]
    same_prefix = sum(a[:4] == b[:4] for a, b in itertools.pairwise(references))

    # Sequential numbering would share the first four characters almost every time.
    assert same_prefix < 5


def test_status_token_carries_at_least_128_bits():
    token = new_status_token()

    assert len(token) >= 32
    assert token != new_status_token()


@pytest.mark.django_db
def test_colliding_reference_is_drawn_again():
    taken = ReportFactory().reference
    draws = iter([taken, "RP-ABCDEF"])
    fresh = ReportFactory.build(job=JobFactory())

    save_with_unique_reference(fresh, new_reference=lambda: next(draws))

    fresh.refresh_from_db()
    assert fresh.reference == "RP-ABCDEF"


@pytest.mark.django_db
def test_endless_collisions_end_with_a_clear_error():
    taken = ReportFactory().reference

    with pytest.raises(NoFreeReference, match="after 3 attempts"):
        save_with_unique_reference(
            ReportFactory.build(job=JobFactory()), attempts=3, new_reference=lambda: taken
        )


@pytest.mark.parametrize("typed", ["rp-7k3m9q", "RP 7K3M 9Q", "7k3m9q", " rp.7K3M9Q "])
def test_reference_typed_loosely_is_normalised(typed):
    assert normalise_reference(typed) == "RP-7K3M9Q"


@pytest.mark.django_db
def test_report_is_found_by_loosely_typed_reference_and_by_token():
    from tests.properties.factories import PropertyFactory

    made = report(property=PropertyFactory())

    assert report_by_reference(made.reference.lower().replace("-", " ")) == made
    assert report_by_status_token(made.status_token) == made
    assert report_by_reference("RP-0O1IL0") is None
    assert report_by_status_token("") is None
