"""What can be reported through Open311: trades and the diagnosis's bookable outcomes, as services.

A trade service (`trade-PL`) takes a priority and a size as attributes. An outcome service
(`outcome-42`) already knows its trade, size and priority; its attributes are the diagnosis questions
that lead to it, each offering only the answers on a way there, so a report through Open311 records
the same diagnosis a resident's would.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wagtail.models import Locale

from cms.models import Answer, OutcomePage, OutcomeType, QuestionPage, RepairLocation
from repairs.models import JobSize, Priority, Trade

TRADE_PREFIX = "trade-"
OUTCOME_PREFIX = "outcome-"
DEFAULT_PRIORITY = "RO"
MAX_QUESTIONS = 30


@dataclass(frozen=True)
class Choice:
    key: str
    name: str


@dataclass(frozen=True)
class Attribute:
    code: str
    description: str
    choices: tuple[Choice, ...]
    required: bool = False
    hint: str = ""
    page: QuestionPage | None = None
    answers: dict[str, Answer] = field(default_factory=dict)


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    description: str
    group: str
    keywords: str
    trade: Trade
    outcome: OutcomePage | None = None


def services() -> list[Service]:
    trades = [_trade_service(trade) for trade in Trade.objects.filter(is_active=True).order_by("name")]
    return trades + [_outcome_service(outcome) for outcome in _reportable_outcomes()]


def _trade_service(trade: Trade) -> Service:
    return Service(
        f"{TRADE_PREFIX}{trade.code}",
        trade.name,
        f"A {trade.name.lower()} repair.",
        "Trades",
        trade.code,
        trade,
    )


def service_for(code: str) -> Service | None:
    code = code.strip()
    if code.startswith(TRADE_PREFIX):
        trade = Trade.objects.filter(code=code[len(TRADE_PREFIX) :], is_active=True).first()
        return _trade_service(trade) if trade else None
    number = code.removeprefix(OUTCOME_PREFIX)
    if code.startswith(OUTCOME_PREFIX) and number.isdigit() and len(number) < 18:
        outcome = _reportable_outcomes().filter(pk=int(number)).first()
        return _outcome_service(outcome) if outcome else None
    return None


def _reportable_outcomes():
    try:
        locale = Locale.get_default()
    except Locale.DoesNotExist:  # no locale yet, so no pages either (a fresh or flushed database)
        return OutcomePage.objects.none()
    return (
        OutcomePage.objects.live()
        .filter(locale=locale)  # one service per outcome, not one per language
        .filter(outcome_type=OutcomeType.BOOKABLE, trade__is_active=True, priority__isnull=False)
        .exclude(job_size="")
        .select_related("trade", "priority")
        .order_by("path")
    )


def _outcome_service(outcome: OutcomePage) -> Service:
    where = "in a communal area" if outcome.location == RepairLocation.COMMUNAL else "in a home"
    return Service(
        f"{OUTCOME_PREFIX}{outcome.pk}",
        outcome.summary or outcome.title,
        f"{outcome.title} ({outcome.trade.name}, {where}).",
        "Diagnosed repairs",
        outcome.trade.code,
        outcome.trade,
        outcome,
    )


def attributes(service: Service) -> list[Attribute]:
    if service.outcome is None:
        priorities = Priority.objects.filter(is_emergency=False).order_by("sort_order", "code")
        return [
            Attribute(
                "priority",
                "How urgent is it?",
                tuple(Choice(p.code, p.name) for p in priorities),
                hint=f"Default: {DEFAULT_PRIORITY}.",
            ),
            Attribute(
                "size",
                "How big a job is it?",
                tuple(Choice(k, v) for k, v in JobSize.choices),
                hint="Default: S.",
            ),
        ]
    return [
        Attribute(
            f"q{question.pk}",
            question.title,
            tuple(Choice(f"a{a.pk}", a.label) for a in answers),
            hint=question.hint,
            page=question,
            answers={f"a{a.pk}": a for a in answers},
        )
        for question, answers in _questions_leading_to(service.outcome)
    ]


def _questions_leading_to(outcome: OutcomePage) -> list[tuple[QuestionPage, list[Answer]]]:
    """Live questions with an answer on a way to `outcome`, the first asked first (one query a step)."""
    found: dict[int, tuple[QuestionPage, list[Answer]]] = {}
    depth: dict[int, int] = {}
    frontier, step = {outcome.pk}, 0
    while frontier and len(found) < MAX_QUESTIONS:
        step += 1
        reached = set()
        answers = Answer.objects.filter(
            next_page_id__in=frontier, question__live=True, question__locale=outcome.locale_id
        )
        for answer in answers.select_related("question").order_by("sort_order", "pk"):
            _, chosen = found.setdefault(answer.question_id, (answer.question, []))
            if answer.pk not in {a.pk for a in chosen}:
                chosen.append(answer)
            if answer.question_id not in depth:
                depth[answer.question_id] = step
                reached.add(answer.question_id)
        frontier = reached
    return [found[pk] for pk in sorted(found, key=lambda pk: (-depth[pk], pk))]
