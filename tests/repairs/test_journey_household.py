"""The household question is asked only where the outcome says so, and its answer reaches the lifecycle."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.db import SessionStore

from repairs.journey import state
from repairs.journey.submit import HOUSEHOLD_QUESTION, _with_hazard_answers
from repairs.views.journey import steps
from workflows.hazards.models import HazardKind
from workflows.hazards.receivers import hazard_answers

pytestmark = pytest.mark.django_db


def journey(**data) -> state.Journey:
    return state.begin(SessionStore(), {"location": "in_home", **data})


def test_the_question_comes_after_the_description_only_when_the_outcome_asks_it():
    assert "household" not in steps(journey())
    path = steps(journey(asks_household=True))
    assert path.index("household") == path.index("description") + 1


class Outcome:
    def __init__(self, kind):
        self.hazard_kind, self.hazard_kind_id = kind, kind.pk if kind else None


@pytest.mark.parametrize(("answer", "at_risk"), [(True, True), (False, False)])
def test_the_answer_and_the_hazard_kind_are_stored_with_the_diagnosis(answer, at_risk):
    kind = HazardKind.objects.get(code="damp-and-mould")
    stored = _with_hazard_answers(
        journey(diagnosis=[{"question": "Which?", "answer": "Mould"}], household_at_risk=answer),
        Outcome(kind),
    )
    assert stored[-1]["question"] == HOUSEHOLD_QUESTION
    assert hazard_answers(stored).kind_code == "damp-and-mould"
    assert hazard_answers(stored).at_risk is at_risk


def test_an_outcome_without_a_hazard_kind_adds_nothing():
    assert _with_hazard_answers(journey(diagnosis=[{"q": 1}], household_at_risk=True), Outcome(None)) == [
        {"q": 1}
    ]


def check_rows(**data) -> dict[str, dict]:
    from repairs.views.journey import _summary

    answers = journey(description="Mould behind the cot", draft_key="k", contact_name="Sam", **data)
    return {row["key"]["text"]: row for row in _summary(answers)}


@pytest.mark.parametrize(("answer", "shown"), [(True, "Yes"), (False, "No")])
def test_check_your_answers_lists_the_household_answer_with_a_change_link(answer, shown):
    rows = check_rows(asks_household=True, household_at_risk=answer)
    household = rows["Health condition or very young"]
    assert household["value"]["text"] == shown
    [change] = household["actions"]["items"]
    assert change["href"] == "/repairs/report/household/?change=1"
    keys = list(rows)
    assert keys.index("Health condition or very young") == keys.index("Description") + 1


def test_check_your_answers_has_no_household_row_where_the_question_was_not_asked():
    assert "Health condition or very young" not in check_rows()
