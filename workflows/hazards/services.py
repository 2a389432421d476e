"""Writes of a hazard case: opening it from the first report, and each staff action that meets a clock.

Every action runs in one transaction holding the case's row lock, meets its stage with who, when and
the evidence, starts the stages that follow, and records a job event in words the resident reads
(`workflows.timeline.WORDING`) so the status page and Notify messages follow each step. Staff need
`workflows.manage_hazard_case`. A stage met after its due moment is recorded as breached; no action
moves a due moment except treating the case as an emergency or recording why preventative works need
longer, and both are recorded with the old and new due moments.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from repairs.models import Job, Report
from workflows.errors import TransitionNotAllowed, TransitionNotPermitted
from workflows.services import change_priority, record_event
from workflows.timeline import WORDING

from . import clocks
from .models import HazardCase, HazardKind, HazardStage, Stage

PERMISSION = "workflows.manage_hazard_case"


class HazardActionRefused(TransitionNotAllowed):
    """The action does not fit the case as it stands; the message says what to do instead."""


def open_hazard_case(
    *,
    job: Job,
    kind: HazardKind,
    aware_at: datetime.datetime,
    report: Report | None = None,
    by: AbstractBaseUser | None = None,
    vulnerable: bool = False,
) -> HazardCase:
    """Open the job's hazard case with Day 0 at `aware_at`; the job's existing case comes back unchanged.

    Day 0 is when the first report reached us, whatever the channel: callers pass the first report's
    `created_at`, never the time staff looked at it. `vulnerable` (young children or a health condition
    in the home) flags the case for emergency review. Opening needs no permission: every report of a
    hazard opens its case, whoever took it; the back office checks staff who open one by hand.
    """
    with transaction.atomic():
        Job.objects.select_for_update(of=("self",)).filter(pk=job.pk).first()
        existing = HazardCase.objects.filter(job=job).first()
        if existing is not None:
            if vulnerable and not existing.needs_emergency_review and not existing.kind.is_emergency:
                _flag_review(existing, by=by)
            return existing
        case = HazardCase.objects.create(
            job=job, kind=kind, aware_at=aware_at, first_report=report, opened_by=_actor(by)
        )
        investigation = _start(case, Stage.INVESTIGATION, aware_at)
        start = clocks.safety_works_start(kind, aware_at=aware_at, investigated_at=None)
        if start is not None:
            _start(case, Stage.SAFETY_WORKS, start)
        record_event(
            job,
            "hazard_case_opened",
            by=_actor(by),
            note=f"{kind} case opened; Day 0 {clocks.when_in_words(aware_at)}; investigation due "
            f"{clocks.when_in_words(investigation.due_at)}.",
            public_note=_inspect_by(case, investigation),
        )
        if vulnerable and not kind.is_emergency:
            _flag_review(case, by=by)
    return case


def treat_as_emergency(case: HazardCase, *, by: AbstractBaseUser | None, note: str) -> HazardCase:
    """Staff decide the hazard is an emergency: the case follows the emergency kind's clocks.

    The clocks still count from Day 0 (the household's answers came with the report), so an emergency
    confirmed late may already be breached; that breach is recorded, not hidden.
    """
    _check_permission(by)
    _need(note, "Say why this is an emergency.")
    with transaction.atomic():
        case = _lock(case)
        target = case.kind.emergency_kind
        if case.kind.is_emergency:
            raise HazardActionRefused("This case is already treated as an emergency.")
        if target is None:
            raise HazardActionRefused(
                f"{case.kind} has no emergency kind to move to: choose one for it under Hazard kinds."
            )
        moved = []
        for stage in case.stages.filter(met_at__isnull=True):
            old = stage.due_at
            stage.due_at = min(old, clocks.stage_due(target, stage.stage, stage.starts_at))
            stage.save(update_fields=["due_at"])
            moved.append(f"{stage.get_stage_display()} due {_short(old)} → {_short(stage.due_at)}")
        case.kind = target
        case.emergency_review_since, case.emergency_review_reason = None, ""
        case.save(update_fields=["kind", "emergency_review_since", "emergency_review_reason"])
        start = clocks.safety_works_start(target, aware_at=case.aware_at, investigated_at=None)
        if start is not None and not case.stages.filter(stage=Stage.SAFETY_WORKS).exists():
            works = _start(case, Stage.SAFETY_WORKS, start)
            moved.append(f"Safety works due {_short(works.due_at)}")
        priority = target.priorities.order_by("sort_order").first()
        if priority is not None and priority.pk != case.job.priority_id:
            change_priority(case.job, priority, by=None, note=f"Treated as {target}: {note}")
        investigation = case.stages.get(stage=Stage.INVESTIGATION)
        record_event(
            case.job,
            "hazard_treated_as_emergency",
            by=_actor(by),
            note=f"Treated as {target}. {'; '.join(moved)}. {note}".strip(),
            public_note=_inspect_by(case, investigation, emergency=True),
        )
    return case


def keep_as_significant(case: HazardCase, *, by: AbstractBaseUser | None, note: str) -> HazardCase:
    """Staff reviewed the household's answers and the hazard is not an emergency; the reason is kept."""
    _check_permission(by)
    _need(note, "Say why this is not an emergency.")
    with transaction.atomic():
        case = _lock(case)
        if not case.needs_emergency_review:
            raise HazardActionRefused("This case is not waiting for an emergency review.")
        case.emergency_review_since, case.emergency_review_reason = None, ""
        case.save(update_fields=["emergency_review_since", "emergency_review_reason"])
        record_event(case.job, "hazard_review_cleared", by=_actor(by), note=f"Not an emergency: {note}")
    return case


def record_investigation(
    case: HazardCase,
    *,
    by: AbstractBaseUser | None,
    findings: str,
    hazard_found: bool,
    preventative_needed: bool = False,
    photo: UploadedFile | None = None,
    at: datetime.datetime | None = None,
) -> HazardStage:
    """The investigation is done: its findings start the written summary, safety works and
    preventative works clocks (from the day it finished)."""
    _check_permission(by)
    _need(findings, "Write what the investigation found.")
    at = at or timezone.now()
    with transaction.atomic():
        case = _lock(case)
        stage = _meet(case, Stage.INVESTIGATION, by=by, at=at, evidence=findings, photo=photo)
        case.hazard_found, case.findings = hazard_found, findings.strip()
        case.save(update_fields=["hazard_found", "findings"])
        summary = _start(case, Stage.SUMMARY, at)
        if hazard_found:
            start = clocks.safety_works_start(case.kind, aware_at=case.aware_at, investigated_at=at)
            if not case.stages.filter(stage=Stage.SAFETY_WORKS).exists():
                _start(case, Stage.SAFETY_WORKS, start)
            if preventative_needed:
                _start(case, Stage.PREVENTATIVE_WORKS, at)
        else:
            for open_works in case.stages.filter(stage=Stage.SAFETY_WORKS, met_at__isnull=True):
                open_works.met_at, open_works.met_by, open_works.not_needed = at, _actor(by), True
                open_works.evidence = "Not needed: the investigation found no hazard."
                open_works.save(update_fields=["met_at", "met_by", "not_needed", "evidence"])
        record_event(
            case.job,
            "hazard_investigated",
            by=_actor(by),
            note=f"Investigation recorded ({'hazard found' if hazard_found else 'no hazard found'}).",
            public_note=f"We will send you a written summary of what we found by "
            f"{clocks.when_in_words(summary.due_at)}.",
        )
        _close_if_done(case, at)
    return stage


def send_written_summary(
    case: HazardCase, *, by: AbstractBaseUser | None, summary: str, at: datetime.datetime | None = None
) -> HazardStage:
    """The written summary goes to the resident: recorded as sent now, against its 3-working-day clock.

    The summary is the event's public note, so the resident's Notify message (rule on
    `hazard_summary_sent`) and status page carry it; the back office prints it for post.
    """
    _check_permission(by)
    _need(summary, "Write the summary of the findings for the resident.")
    at = at or timezone.now()
    with transaction.atomic():
        case = _lock(case)
        stage = _meet(case, Stage.SUMMARY, by=by, at=at, evidence=summary)
        record_event(
            case.job, "hazard_summary_sent", by=_actor(by), note="Written summary sent.", public_note=summary
        )
        _close_if_done(case, at)
    return stage


def record_safety_works(
    case: HazardCase,
    *,
    by: AbstractBaseUser | None,
    evidence: str,
    photo: UploadedFile | None = None,
    at: datetime.datetime | None = None,
) -> HazardStage:
    """The work to make the home safe is done."""
    _check_permission(by)
    _need(evidence, "Say what was done to make the home safe.")
    at = at or timezone.now()
    with transaction.atomic():
        case = _lock(case)
        stage = _meet(case, Stage.SAFETY_WORKS, by=by, at=at, evidence=evidence, photo=photo)
        record_event(
            case.job, "hazard_made_safe", by=_actor(by), note=evidence, public_note=_told("hazard_made_safe")
        )
        _close_if_done(case, at)
    return stage


def record_preventative_start(
    case: HazardCase,
    *,
    by: AbstractBaseUser | None,
    evidence: str,
    photo: UploadedFile | None = None,
    at: datetime.datetime | None = None,
) -> HazardStage:
    """The further (supplementary preventative) works have begun."""
    _check_permission(by)
    _need(evidence, "Say what work has begun.")
    at = at or timezone.now()
    with transaction.atomic():
        case = _lock(case)
        stage = _meet(case, Stage.PREVENTATIVE_WORKS, by=by, at=at, evidence=evidence, photo=photo)
        record_event(
            case.job,
            "hazard_further_work_started",
            by=_actor(by),
            note=evidence,
            public_note=_told("hazard_further_work_started"),
        )
        _close_if_done(case, at)
    return stage


def extend_preventative_works(
    case: HazardCase, *, by: AbstractBaseUser | None, reason: str, now: datetime.datetime | None = None
) -> HazardStage:
    """Beginning the preventative works in the usual time is not reasonably practicable: record why and
    move the due moment to the kind's longest period (12 weeks by default). Refused once the usual
    time has passed, so a breach is never turned into a later due date."""
    _check_permission(by)
    _need(reason, "Say why the works cannot begin in the usual time.")
    now = now or timezone.now()
    with transaction.atomic():
        case = _lock(case)
        stage = case.stages.filter(stage=Stage.PREVENTATIVE_WORKS).first()
        if stage is None or stage.is_met:
            raise HazardActionRefused("There are no preventative works waiting to begin.")
        if stage.extended_reason:
            raise HazardActionRefused("The time for the preventative works has already been extended once.")
        if now > stage.due_at:
            raise HazardActionRefused(
                f"The works were due to begin by {clocks.when_in_words(stage.due_at)}: that time has passed "
                "and stays recorded as missed. Begin them as soon as possible."
            )
        old = stage.due_at
        stage.due_at = clocks.longest_preventative_due(case.kind, stage.starts_at)
        stage.extended_reason = reason.strip()
        stage.alerted_half_at = stage.alerted_most_at = None
        stage.save(update_fields=["due_at", "extended_reason", "alerted_half_at", "alerted_most_at"])
        record_event(
            case.job,
            "hazard_further_work_later",
            by=_actor(by),
            note=f"Preventative works due {_short(old)} → {_short(stage.due_at)}: {reason.strip()}",
            public_note=f"The further work needs more time to arrange. It will begin by "
            f"{clocks.when_in_words(stage.due_at)}.",
        )
    return stage


def record_alternative_accommodation(
    case: HazardCase, *, by: AbstractBaseUser | None, note: str, at: datetime.datetime | None = None
) -> HazardCase:
    """The home cannot be made safe in time, so the household has been offered somewhere else to stay."""
    _check_permission(by)
    _need(note, "Say what was offered.")
    at = at or timezone.now()
    with transaction.atomic():
        case = _lock(case)
        case.alternative_accommodation_offered_at = at
        case.save(update_fields=["alternative_accommodation_offered_at"])
        record_event(
            case.job,
            "hazard_alternative_offered",
            by=_actor(by),
            note=note,
            public_note=_told("hazard_alternative_offered"),
        )
    return case


# --- the clocks' alerts (run by the beat task) -----------------------------------------------------


@dataclass(frozen=True)
class ClockAlert:
    stage_id: int
    kind: str  # "half", "most" or "breached"


ALERT_SHARES = (("half", 0.5, "alerted_half_at"), ("most", 0.8, "alerted_most_at"))


def alert_stage(stage_id: int, *, now: datetime.datetime) -> list[ClockAlert]:
    """Record what one open stage's clock has reached since it was last looked at: half its time, 80%
    of it, or its due moment (the breach). Each is recorded once, as an internal event that the
    notifications rules turn into staff messages."""
    sent: list[ClockAlert] = []
    with transaction.atomic():
        stage = HazardStage.objects.select_for_update().select_related("case__job").get(pk=stage_id)
        if stage.is_met or stage.case.closed_at is not None:
            return sent
        share = stage.share_elapsed(now)
        job, label = stage.case.job, stage.get_stage_display()
        if now > stage.due_at and stage.breached_at is None:
            stage.breached_at = stage.due_at
            stage.alerted_half_at = stage.alerted_half_at or now
            stage.alerted_most_at = stage.alerted_most_at or now
            stage.save(update_fields=["breached_at", "alerted_half_at", "alerted_most_at"])
            text = f"{label} was due by {clocks.when_in_words(stage.due_at)} and has not been recorded."
            record_event(job, "hazard_clock_breached", note=text, public=False, public_note=text)
            return [ClockAlert(stage.pk, "breached")]
        for name, threshold, field in reversed(ALERT_SHARES):
            if share >= threshold and getattr(stage, field) is None:
                for _, lower, lower_field in ALERT_SHARES:
                    if lower <= threshold and getattr(stage, lower_field) is None:
                        setattr(stage, lower_field, now)
                stage.save(update_fields=["alerted_half_at", "alerted_most_at"])
                text = (
                    f"{label}: {int(threshold * 100)}% of the time has gone; due by "
                    f"{clocks.when_in_words(stage.due_at)}."
                )
                record_event(job, "hazard_clock_alert", note=text, public=False, public_note=text)
                sent.append(ClockAlert(stage.pk, name))
                break
    return sent


# --- helpers ----------------------------------------------------------------------------------------


def _start(case: HazardCase, stage: str, start: datetime.datetime) -> HazardStage:
    return HazardStage.objects.create(
        case=case, stage=stage, starts_at=start, due_at=clocks.stage_due(case.kind, stage, start)
    )


def _meet(
    case: HazardCase,
    stage_name: str,
    *,
    by: AbstractBaseUser | None,
    at: datetime.datetime,
    evidence: str,
    photo: UploadedFile | None = None,
) -> HazardStage:
    stage = case.stages.filter(stage=stage_name).first()
    label = Stage(stage_name).label
    if stage is None:
        raise HazardActionRefused(f"{label} is not due on this case yet.")
    if stage.is_met:
        raise HazardActionRefused(f"{label} was already recorded on {_short(stage.met_at)}.")
    if at < stage.starts_at:
        raise HazardActionRefused(f"{label} cannot be recorded before its clock started.")
    stage.met_at, stage.met_by, stage.evidence = at, _actor(by), evidence.strip()
    fields = ["met_at", "met_by", "evidence"]
    if photo is not None:
        stage.photo = photo
        fields.append("photo")
    if at > stage.due_at and stage.breached_at is None:
        stage.breached_at = stage.due_at
        fields.append("breached_at")
    stage.save(update_fields=fields)
    return stage


def _close_if_done(case: HazardCase, at: datetime.datetime) -> None:
    if case.hazard_found is not None and not case.stages.filter(met_at__isnull=True).exists():
        case.closed_at = at
        case.save(update_fields=["closed_at"])


def _flag_review(case: HazardCase, *, by: AbstractBaseUser | None) -> None:
    reason = "The resident said someone in the home is very young or has a health condition."
    case.emergency_review_since, case.emergency_review_reason = timezone.now(), reason
    case.save(update_fields=["emergency_review_since", "emergency_review_reason"])
    record_event(case.job, "hazard_emergency_review", by=_actor(by), note=reason, public=False)


def _inspect_by(case: HazardCase, investigation: HazardStage, *, emergency: bool = False) -> str:
    when = clocks.when_in_words(investigation.due_at)
    if emergency or case.kind.is_emergency:
        return f"We are treating this as an emergency. We will inspect and make your home safe by {when}."
    return f"We will inspect the problem by {when}."


def _told(action: str) -> str:
    """The words the resident reads for a step whose staff note is not for them (the Notify message
    carries them as `public_note`, and the status page shows the same)."""
    return str(WORDING[action].detail)


def _lock(case: HazardCase) -> HazardCase:
    locked = HazardCase.objects.select_for_update(of=("self",)).select_related("kind", "job").get(pk=case.pk)
    if locked.closed_at is not None:
        raise HazardActionRefused("This hazard case is closed: every stage has been recorded.")
    return locked


def _check_permission(by: AbstractBaseUser | None) -> None:
    if by is not None and by.is_authenticated and not by.has_perm(PERMISSION):
        raise TransitionNotPermitted("You do not have permission to record hazard case actions.")


def _actor(by: AbstractBaseUser | None) -> AbstractBaseUser | None:
    return by if by is not None and by.is_authenticated else None


def _need(text: str, message: str) -> None:
    if not (text or "").strip():
        raise HazardActionRefused(message)


def _short(moment: datetime.datetime | None) -> str:
    return timezone.localtime(moment, clocks.LONDON).strftime("%d %b %Y %H:%M") if moment else "not set"
