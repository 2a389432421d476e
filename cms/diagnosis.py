"""The path a resident has answered, kept in their session.

Each step records the question page, the revision that was live when it was answered and the answer
chosen, so a report made afterwards says exactly which version of the content diagnosed it, even after
editors change the questions. The resident journey reads it with `answered_path()` and `reached_outcome()`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.contrib.sessions.backends.base import SessionBase

SESSION_KEY = "diagnosis"


@dataclass(frozen=True)
class Step:
    page_id: int
    revision_id: int | None
    question: str
    answer_id: int
    answer: str


@dataclass(frozen=True)
class Outcome:
    page_id: int
    revision_id: int | None
    outcome_type: str
    summary: str


def _state(session: SessionBase) -> dict:
    return session.get(SESSION_KEY) or {"steps": [], "outcome": None}


def answered_path(session: SessionBase) -> list[Step]:
    return [Step(**step) for step in _state(session)["steps"]]


def reached_outcome(session: SessionBase) -> Outcome | None:
    outcome = _state(session).get("outcome")
    return Outcome(**outcome) if outcome else None


def record_answer(session: SessionBase, step: Step) -> None:
    """Add an answer; answering a question again (after going back) forgets everything answered after it."""
    steps = [s for s in answered_path(session)]
    for index, earlier in enumerate(steps):
        if earlier.page_id == step.page_id:
            steps = steps[:index]
            break
    steps.append(step)
    session[SESSION_KEY] = {"steps": [asdict(s) for s in steps], "outcome": None}


def record_outcome(session: SessionBase, outcome: Outcome) -> None:
    state = _state(session)
    session[SESSION_KEY] = {"steps": state["steps"], "outcome": asdict(outcome)}


def start_again(session: SessionBase) -> None:
    session.pop(SESSION_KEY, None)


def previous_page_id(session: SessionBase, current_page_id: int) -> int | None:
    """The question answered just before this page on the resident's own path, for the back link."""
    steps = answered_path(session)
    for index, step in enumerate(steps):
        if step.page_id == current_page_id:
            return steps[index - 1].page_id if index > 0 else None
    return steps[-1].page_id if steps else None


def as_report_diagnosis(session: SessionBase) -> list[dict]:
    """The path in the shape `repairs.services.report_repair(diagnosis=...)` stores on a Report."""
    steps = [
        {"page_id": s.page_id, "revision_id": s.revision_id, "question": s.question, "answer": s.answer}
        for s in answered_path(session)
    ]
    outcome = reached_outcome(session)
    if outcome:
        steps.append(
            {"page_id": outcome.page_id, "revision_id": outcome.revision_id, "outcome": outcome.summary}
        )
    return steps
