"""The starter content: a usable tree on day one, loaded safely more than once."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page, Site, WorkflowPage

from cms.models import (
    DiagnosisStartPage,
    EmergencyAdvicePage,
    HomePage,
    OutcomePage,
    OutcomeType,
    QuestionPage,
    SelfHelpPage,
)
from cms.tree_check import check_diagnosis_tree
from repairs.models import Priority, Trade

pytestmark = pytest.mark.django_db


@pytest.fixture
def starter(db):
    # English only: the Welsh translation of the same pages is tested in tests/welsh.
    call_command("load_starter_content", english_only=True, stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_starter_tree_passes_the_tree_check(starter) -> None:
    report = check_diagnosis_tree()
    assert report.ok, report.problems
    assert report.questions >= 15 and report.outcomes >= 40


def test_loading_twice_changes_nothing(starter) -> None:
    before = Page.objects.count()
    call_command("load_starter_content", english_only=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Page.objects.count() == before


def test_home_page_replaces_wagtails_welcome_page_at_the_site_root(starter) -> None:
    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)
    assert not Page.objects.filter(title__startswith="Welcome to your new Wagtail site").exists()


def test_trades_and_priorities_exist_by_code(starter) -> None:
    assert set(Trade.objects.values_list("code", flat=True)) >= {
        "PL", "EL", "CA", "HE", "RF", "GL", "GB", "LF", "DE", "DM"
    }  # fmt: skip
    assert Priority.objects.get(code="EM").is_emergency
    assert Priority.objects.get(code="DMI").target_value == 10


def test_starter_covers_in_home_communal_emergencies_and_self_help(starter) -> None:
    titles = set(QuestionPage.objects.values_list("slug", flat=True))
    assert {"leaks-and-plumbing", "heating-and-hot-water", "electrics", "doors-and-windows", "kitchen",
            "bathroom", "damp-and-mould", "roof-and-gutters", "lifts", "door-entry", "lighting", "bin-stores",
            "stairwells", "communal-heating"} <= titles  # fmt: skip
    emergencies = set(
        OutcomePage.objects.filter(outcome_type=OutcomeType.EMERGENCY).values_list("slug", flat=True)
    )
    assert {"gas-smell", "flooding", "no-power", "unsafe-structure"} <= emergencies
    assert set(SelfHelpPage.objects.values_list("slug", flat=True)) == {
        "bleed-a-radiator", "reset-a-tripped-switch", "reduce-condensation"
    }  # fmt: skip
    assert DiagnosisStartPage.objects.live().count() == 1 and EmergencyAdvicePage.objects.live().count() == 1


def test_every_starter_page_has_a_live_revision(starter) -> None:
    assert not QuestionPage.objects.filter(live_revision__isnull=True).exists()
    assert not OutcomePage.objects.filter(live_revision__isnull=True).exists()


def test_moderation_groups_and_workflow_are_set_up(starter) -> None:
    assert (
        Group.objects.filter(name__in=["Content editors", "Content approvers", "Administrators"]).count() == 3
    )
    workflow = WorkflowPage.objects.get(page=HomePage.objects.get()).workflow
    task = workflow.tasks.get().specific
    assert set(task.groups.values_list("name", flat=True)) == {"Content approvers", "Administrators"}


def test_no_bookable_outcome_promises_sooner_than_its_priority(starter) -> None:
    """An outcome's words must not contradict the timescale shown under "How quickly we aim to fix it"."""
    import re

    from django.utils.html import strip_tags

    for outcome in OutcomePage.objects.filter(outcome_type=OutcomeType.BOOKABLE).select_related("priority"):
        text = strip_tags(outcome.body).lower()
        if not outcome.priority.is_emergency:
            assert "same day" not in text and "24 hours" not in text, outcome.title
        for days in re.findall(r"within (\d+) working days", text):
            assert int(days) == outcome.priority.target_value, outcome.title


def test_lift_out_of_service_text_matches_its_priority(starter) -> None:
    lift = OutcomePage.objects.get(title="Report a lift that is not working")
    assert f"within {lift.priority.target_value} working days" in lift.body
