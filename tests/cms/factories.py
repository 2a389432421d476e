"""Factories for cms tests: reference data with factory-boy, and a small tree built as editors do."""

from __future__ import annotations

from dataclasses import dataclass

import factory
from wagtail.models import Page, Site

from cms.models import (
    Answer,
    DiagnosisStartPage,
    HomePage,
    OutcomePage,
    OutcomeType,
    QuestionPage,
    SelfHelpPage,
)
from cms.starter_content import ensure_tree_root
from repairs.models import Priority, TargetUnit, Trade


class TradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trade
        django_get_or_create = ("code",)

    code = "PL"
    name = "Plumbing"


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority
        django_get_or_create = ("code",)

    code = "RO"
    name = "Routine"
    target_value = 20
    target_unit = TargetUnit.WORKING_DAYS


def publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def add_page(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    return publish(page)


def site_home() -> HomePage:
    """A HomePage at the default site's root, as the starter command leaves it."""
    root = ensure_tree_root()
    home = HomePage.objects.first() or add_page(root, HomePage(title="Housing repairs", slug="repairs-home"))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "site_name": "Repairs"}
    )
    return home


def add_question(parent: Page, title: str, answers: list[tuple[str, Page]], **fields) -> QuestionPage:
    question = QuestionPage(title=title, **fields)
    for order, (label, target) in enumerate(answers):
        question.answers.add(Answer(label=label, next_page=target, sort_order=order))
    return add_page(parent, question)


@dataclass
class SmallTree:
    home: HomePage
    start: DiagnosisStartPage
    where: QuestionPage
    leak: QuestionPage
    bookable: OutcomePage
    emergency: OutcomePage
    self_help: OutcomePage
    guide: SelfHelpPage


def small_tree() -> SmallTree:
    """Where? → (home → What leaks? → bookable | flooding emergency) | (communal → self-help)."""
    home = site_home()
    guide = add_page(
        home,
        SelfHelpPage(
            title="How to bleed a radiator",
            intro="Let the air out.",
            body='[{"type": "steps", "value": {"heading": "Steps", "steps": ["<p>Turn off the heating.</p>", '
            '"<p>Open the bleed valve.</p>"]}}]',
        ),
    )
    start = add_page(home, DiagnosisStartPage(title="Report a repair"))
    bookable = add_page(
        start,
        OutcomePage(
            title="Report a dripping tap",
            summary="A dripping tap",
            outcome_type=OutcomeType.BOOKABLE,
            trade=TradeFactory(),
            job_size="S",
            priority=PriorityFactory(),
        ),
    )
    emergency = add_page(
        start,
        OutcomePage(title="Flooding: call us now", summary="Flooding", outcome_type=OutcomeType.EMERGENCY),
    )
    self_help = add_page(
        start,
        OutcomePage(
            title="You can fix this yourself",
            summary="Air in the radiator",
            outcome_type=OutcomeType.SELF_HELP,
            self_help_page=guide,
        ),
    )
    leak = add_question(start, "What is leaking?", [("A tap", bookable), ("Water is pouring in", emergency)])
    where = add_question(
        start,
        "Where is the problem?",
        [("In my home", leak), ("A cold radiator", self_help)],
        error_message="Select where the problem is",
        hint="Choose one",
    )
    start.first_question = where
    publish(start)
    return SmallTree(home, start, where, leak, bookable, emergency, self_help, guide)
