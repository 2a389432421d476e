"""The tree check finds dead ends, loops, unreachable and incomplete outcomes, naming the pages."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cms.models import Answer, OutcomePage, OutcomeType
from cms.tree_check import check_diagnosis_tree
from tests.cms.factories import SmallTree, add_page, publish

pytestmark = pytest.mark.django_db


def kinds(report) -> list[str]:
    return [p.kind for p in report.problems]


def test_a_complete_tree_has_no_problems(tree: SmallTree) -> None:
    report = check_diagnosis_tree()
    assert report.ok, report.problems
    assert (report.questions, report.outcomes) == (2, 3)


def test_an_answer_leading_to_an_unpublished_page_is_a_dead_end(tree: SmallTree) -> None:
    tree.emergency.unpublish()
    report = check_diagnosis_tree()
    assert "Dead end" in kinds(report)
    assert any("'Water is pouring in'" in p.message and "not published" in p.message for p in report.problems)


def test_a_question_without_answers_is_a_dead_end(tree: SmallTree) -> None:
    Answer.objects.filter(question=tree.leak).delete()
    report = check_diagnosis_tree()
    assert f"'What is leaking?' (page {tree.leak.pk}) has no answers." in [p.message for p in report.problems]


def test_a_loop_is_reported_with_its_pages(tree: SmallTree) -> None:
    Answer.objects.filter(question=tree.leak, label="A tap").update(next_page=tree.where)
    report = check_diagnosis_tree()
    loops = [p.message for p in report.problems if p.kind == "Loop"]
    assert loops == [
        f"'Where is the problem?' (page {tree.where.pk}) → 'What is leaking?' (page {tree.leak.pk}) → "
        f"'Where is the problem?' (page {tree.where.pk})"
    ]


def test_an_outcome_no_answer_leads_to_is_unreachable(tree: SmallTree) -> None:
    orphan = add_page(
        tree.start, OutcomePage(title="Orphan", summary="x", outcome_type=OutcomeType.CONTACT_US)
    )
    report = check_diagnosis_tree()
    assert [p.message for p in report.problems] == [f"No answer leads to 'Orphan' (page {orphan.pk})."]


def test_a_bookable_outcome_without_trade_size_or_priority_is_incomplete(tree: SmallTree) -> None:
    OutcomePage.objects.filter(pk=tree.bookable.pk).update(trade=None, job_size="", priority=None)
    report = check_diagnosis_tree()
    assert [p.message for p in report.problems] == [
        f"'Report a dripping tap' (page {tree.bookable.pk}) is bookable but has no trade, job size, priority."
    ]


def test_command_exits_non_zero_naming_the_pages(tree: SmallTree, capsys) -> None:
    tree.start.first_question = None
    publish(tree.start)
    with pytest.raises(CommandError) as raised:
        call_command("check_diagnosis_tree")
    assert raised.value.returncode == 1
    err = capsys.readouterr().err
    assert f"'Report a repair' (page {tree.start.pk}) has no published first question." in err


def test_command_succeeds_on_a_good_tree(tree: SmallTree, capsys) -> None:
    call_command("check_diagnosis_tree")
    assert "No problems found." in capsys.readouterr().out


def test_admin_report_lists_the_problems(tree: SmallTree, admin_client) -> None:
    tree.emergency.unpublish()
    html = admin_client.get("/admin/diagnosis-tree-check/").content.decode()
    assert "1 problem found" in html and "Water is pouring in" in html
