"""Checks the published diagnosis tree so residents never meet a dead end, a loop or a half-set-up outcome.

Only live pages and their published answers count: that is what residents walk. Each problem names the
pages involved so an editor can find and fix them. A translated tree (Welsh) is walked as residents walk
it: an answer leads to the live translation of its page in the question's language, else to the page.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from wagtail.models import Page

from cms.models import Answer, DiagnosisStartPage, OutcomePage, OutcomeType, QuestionPage


@dataclass(frozen=True)
class Problem:
    kind: str
    message: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


@dataclass
class TreeReport:
    questions: int = 0
    outcomes: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _name(page: Page) -> str:
    return f"'{page.title}' (page {page.pk})"


def check_diagnosis_tree() -> TreeReport:
    starts = list(DiagnosisStartPage.objects.live().select_related("first_question"))
    questions = {q.pk: q for q in QuestionPage.objects.live()}
    outcomes = {o.pk: o for o in OutcomePage.objects.live()}
    report = TreeReport(questions=len(questions), outcomes=len(outcomes))
    translations = {(p.translation_key, p.locale_id): p for p in [*questions.values(), *outcomes.values()]}

    def in_language_of(page: Page, target: Page) -> Page:
        return translations.get((target.translation_key, page.locale_id), target)

    answers_by_question: dict[int, list[Answer]] = defaultdict(list)
    for answer in Answer.objects.filter(question__in=questions.values()).select_related("next_page"):
        answers_by_question[answer.question_id].append(answer)

    edges: dict[int, list[int]] = defaultdict(list)
    for question in questions.values():
        answers = answers_by_question[question.pk]
        if not answers:
            report.problems.append(Problem("Dead end", f"{_name(question)} has no answers."))
        for answer in answers:
            target = in_language_of(question, answer.next_page)
            if target.pk not in questions and target.pk not in outcomes:
                why = "is not published" if not target.live else "is not a question or an outcome"
                report.problems.append(
                    Problem(
                        "Dead end",
                        f"{_name(question)}: answer '{answer.label}' leads to {_name(target)}, which {why}.",
                    )
                )
                continue
            edges[question.pk].append(target.pk)

    roots: list[int] = []
    for start in starts:
        first = in_language_of(start, start.first_question) if start.first_question else None
        if first is not None and first.pk in questions:
            roots.append(first.pk)
        else:
            report.problems.append(Problem("Dead end", f"{_name(start)} has no published first question."))

    reachable = _reachable(roots, edges)
    report.problems.extend(_cycles(roots, edges, {**questions, **outcomes}))

    for outcome in outcomes.values():
        if outcome.pk not in reachable:
            report.problems.append(Problem("Unreachable outcome", f"No answer leads to {_name(outcome)}."))
        missing = outcome.missing_repair_details()
        if missing:
            report.problems.append(
                Problem(
                    "Incomplete outcome", f"{_name(outcome)} is bookable but has no {', '.join(missing)}."
                )
            )
        if outcome.outcome_type == OutcomeType.SELF_HELP and not outcome.self_help_page_id:
            report.problems.append(
                Problem("Incomplete outcome", f"{_name(outcome)} is self-help but has no guide.")
            )
    for question in questions.values():
        if question.pk not in reachable:
            report.problems.append(Problem("Unreachable question", f"No answer leads to {_name(question)}."))
    return report


def _reachable(roots: list[int], edges: dict[int, list[int]]) -> set[int]:
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        stack.extend(edges.get(node, ()))
    return seen


def _cycles(roots: list[int], edges: dict[int, list[int]], pages: dict[int, Page]) -> list[Problem]:
    """Depth-first search without recursion; each loop is reported once, naming its pages in order."""
    problems: list[Problem] = []
    done: set[int] = set()
    reported: set[frozenset[int]] = set()
    for root in roots:
        if root in done:
            continue
        path: list[int] = [root]
        on_path = {root}
        iterators = [iter(edges.get(root, ()))]
        while iterators:
            child = next(iterators[-1], None)
            if child is None:
                iterators.pop()
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
                continue
            if child in on_path:
                loop = path[path.index(child) :]
                if frozenset(loop) not in reported:
                    reported.add(frozenset(loop))
                    names = " → ".join(_name(pages[pk]) for pk in [*loop, child])
                    problems.append(Problem("Loop", names))
                continue
            if child in done:
                continue
            path.append(child)
            on_path.add(child)
            iterators.append(iter(edges.get(child, ())))
    return problems
