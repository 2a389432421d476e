"""Page types keep the content tree sensible, and a page an answer leads to cannot be deleted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from cms.models import (
    DiagnosisStartPage,
    EmergencyAdvicePage,
    HomePage,
    OutcomePage,
    OutcomeType,
    QuestionPage,
    SelfHelpPage,
)
from tests.cms.factories import SmallTree

pytestmark = pytest.mark.django_db


def test_deleting_a_page_an_answer_leads_to_is_refused(tree: SmallTree) -> None:
    with pytest.raises(ProtectedError):
        tree.emergency.delete()
    assert OutcomePage.objects.filter(pk=tree.emergency.pk).exists()


def test_questions_and_outcomes_only_go_inside_a_diagnosis() -> None:
    assert QuestionPage.allowed_parent_page_models() == [DiagnosisStartPage, QuestionPage]
    assert set(OutcomePage.allowed_parent_page_models()) == {DiagnosisStartPage, QuestionPage}
    assert OutcomePage.allowed_subpage_models() == []


def test_guides_and_emergency_advice_sit_under_the_home_page() -> None:
    assert SelfHelpPage.allowed_parent_page_models() == [HomePage]
    assert EmergencyAdvicePage.allowed_parent_page_models() == [HomePage]
    assert DiagnosisStartPage.allowed_parent_page_models() == [HomePage]


def test_a_bookable_outcome_without_repair_details_does_not_validate() -> None:
    outcome = OutcomePage(title="Leak", summary="A leak", outcome_type=OutcomeType.BOOKABLE, slug="leak")
    with pytest.raises(ValidationError, match="trade, job size, priority"):
        outcome.clean()


def test_a_self_help_outcome_needs_a_guide() -> None:
    outcome = OutcomePage(title="Fix it", summary="x", outcome_type=OutcomeType.SELF_HELP, slug="fix")
    with pytest.raises(ValidationError, match="Choose the guide"):
        outcome.clean()
