"""Awaab's Law in the back office: the hazards queue sorted by time left, one case's clocks with the
forms that meet them, and the written summary as a printable page for post.

Views stay thin: each form posts to its own URL, calls one `workflows.hazards.services` function and
comes back to the case with a message. A refused action says why and nothing already saved is lost.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from repairs.models import Job
from workflows.errors import LifecycleError
from workflows.hazards import clocks, services
from workflows.hazards.models import HazardCase, HazardKind, Stage
from workflows.hazards.selectors import case_for_job, hazard_queue

from ..access import staff_required, visible_jobs
from ..tables import place_of

QUEUE_LIMIT = 500


class OpenCaseForm(forms.Form):
    kind = forms.ModelChoiceField(HazardKind.objects.filter(is_active=True), label="Kind of hazard")


class NoteForm(forms.Form):
    note = forms.CharField(label="Why", widget=forms.Textarea(attrs={"rows": 3}))


class InvestigationForm(forms.Form):
    findings = forms.CharField(label="What the investigation found", widget=forms.Textarea(attrs={"rows": 5}))
    hazard_found = forms.TypedChoiceField(
        label="Is there a hazard?",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    preventative_needed = forms.BooleanField(label="Further preventative works are needed", required=False)
    photo = forms.FileField(label="Photo (optional)", required=False)


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label="Written summary for the resident",
        help_text="Sent to the resident through Notify and shown on their status page: what we found, "
        "what we will do and by when. No names of staff or other residents.",
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class EvidenceForm(forms.Form):
    evidence = forms.CharField(label="What was done", widget=forms.Textarea(attrs={"rows": 4}))
    photo = forms.FileField(label="Photo (optional)", required=False)


@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    cases = list(hazard_queue().filter(job__in=visible_jobs(request.user))[:QUEUE_LIMIT])
    rows = [
        {
            "case": case,
            "place": place_of(case.job),
            "due": case.next_due_at,
            "left": clocks.time_left_in_words(case.next_due_at, now) if case.next_due_at else "",
            "overdue": case.next_due_at is not None and case.next_due_at < now,
        }
        for case in cases
    ]
    return render(request, "backoffice/hazards/queue.html", {"rows": rows, "nav": "hazards"})


@staff_required
def case_detail(request: HttpRequest, job_pk: int) -> HttpResponse:
    job = _job(request, job_pk)
    case = case_for_job(job.pk)
    can_act = request.user.has_perm(services.PERMISSION)
    if case is None:
        return render(
            request,
            "backoffice/hazards/case.html",
            {"job": job, "place": place_of(job), "open_form": OpenCaseForm() if can_act else None},
        )
    return render(request, "backoffice/hazards/case.html", _case_context(job, case, can_act))


def _case_context(job: Job, case: HazardCase, can_act: bool) -> dict:
    now = timezone.now()
    stages = {s.stage: s for s in case.stage_list}
    open_stages = {name for name, s in stages.items() if not s.is_met} if case.closed_at is None else set()
    return {
        "job": job,
        "place": place_of(job),
        "case": case,
        "clocks": clock_rows(case.stage_list, now),
        "can_act": can_act and case.closed_at is None,
        "needs_investigation": Stage.INVESTIGATION in open_stages,
        "needs_summary": Stage.SUMMARY in open_stages,
        "needs_safety_works": Stage.SAFETY_WORKS in open_stages,
        "needs_preventative": Stage.PREVENTATIVE_WORKS in open_stages,
        "can_extend": Stage.PREVENTATIVE_WORKS in open_stages
        and not stages[Stage.PREVENTATIVE_WORKS].extended_reason
        and now <= stages[Stage.PREVENTATIVE_WORKS].due_at,
        # Several forms share field names on one page: each gets its own ids, so each label finds its field.
        "investigation_form": InvestigationForm(auto_id="investigation-%s"),
        "summary_form": SummaryForm(initial={"summary": case.findings}, auto_id="summary-%s"),
        "safety_form": EvidenceForm(auto_id="safety-%s"),
        "preventative_form": EvidenceForm(auto_id="preventative-%s"),
        "emergency_form": NoteForm(auto_id="emergency-%s"),
        "not_emergency_form": NoteForm(auto_id="not-emergency-%s"),
        "later_form": NoteForm(auto_id="later-%s"),
        "accommodation_form": NoteForm(auto_id="accommodation-%s"),
    }


def clock_rows(stages, now) -> list[dict]:
    """Each stage as staff read it: due when, time left or how late, met when and by whom."""
    rows = []
    for stage in stages:
        if stage.is_met:
            status = (
                "Not needed" if stage.not_needed else ("Met late" if stage.is_breached() else "Met in time")
            )
        else:
            status = "Overdue" if stage.is_breached(now) else "Running"
        rows.append(
            {
                "stage": stage,
                "due": clocks.when_in_words(stage.due_at),
                "left": "" if stage.is_met else clocks.time_left_in_words(stage.due_at, now),
                "status": status,
            }
        )
    return rows


ACTIONS = {
    "open": (OpenCaseForm, None),
    "emergency": (NoteForm, lambda case, by, d: services.treat_as_emergency(case, by=by, note=d["note"])),
    "not-emergency": (
        NoteForm,
        lambda case, by, d: services.keep_as_significant(case, by=by, note=d["note"]),
    ),
    "investigation": (
        InvestigationForm,
        lambda case, by, d: services.record_investigation(
            case,
            by=by,
            findings=d["findings"],
            hazard_found=d["hazard_found"],
            preventative_needed=d["preventative_needed"],
            photo=d.get("photo"),
        ),
    ),
    "summary": (
        SummaryForm,
        lambda case, by, d: services.send_written_summary(case, by=by, summary=d["summary"]),
    ),
    "safety-works": (
        EvidenceForm,
        lambda case, by, d: services.record_safety_works(
            case, by=by, evidence=d["evidence"], photo=d.get("photo")
        ),
    ),
    "preventative-works": (
        EvidenceForm,
        lambda case, by, d: services.record_preventative_start(
            case, by=by, evidence=d["evidence"], photo=d.get("photo")
        ),
    ),
    "preventative-later": (
        NoteForm,
        lambda case, by, d: services.extend_preventative_works(case, by=by, reason=d["note"]),
    ),
    "alternative-accommodation": (
        NoteForm,
        lambda case, by, d: services.record_alternative_accommodation(case, by=by, note=d["note"]),
    ),
}


@staff_required
@require_POST
def case_action(request: HttpRequest, job_pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action.")
    if not request.user.has_perm(services.PERMISSION):
        raise PermissionDenied("You do not have permission to record hazard case actions.")
    job = _job(request, job_pk)
    form_class, act = ACTIONS[action]
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        messages.error(request, f"Nothing was recorded: {first}")
        return redirect("backoffice:hazard_case", job_pk=job.pk)
    try:
        if action == "open":
            first_report = job.reports.order_by("created_at", "id").first()
            services.open_hazard_case(
                job=job,
                kind=form.cleaned_data["kind"],
                aware_at=first_report.created_at if first_report else job.created_at,
                report=first_report,
                by=request.user,
            )
        else:
            case = HazardCase.objects.filter(job=job).first()
            if case is None:
                raise Http404("This job has no hazard case.")
            act(case, request.user, form.cleaned_data)
    except LifecycleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Recorded.")
    return redirect("backoffice:hazard_case", job_pk=job.pk)


@staff_required
def summary_print(request: HttpRequest, job_pk: int) -> HttpResponse:
    """The written summary as a letter to print and post (print to PDF from the browser for a file)."""
    job = _job(request, job_pk)
    case = case_for_job(job.pk)
    summary = next((s for s in case.stage_list if s.stage == Stage.SUMMARY), None) if case else None
    if summary is None or not summary.is_met:
        raise Http404("No written summary has been sent for this job yet.")
    first = case.first_report or job.reports.order_by("created_at", "id").first()
    return render(
        request,
        "backoffice/hazards/summary_print.html",
        {"job": job, "case": case, "summary": summary, "report": first, "place": place_of(job)},
    )


def _job(request: HttpRequest, pk: int) -> Job:
    job = (
        visible_jobs(request.user).select_related("property", "communal_area", "trade").filter(pk=pk).first()
    )
    if job is None:
        raise Http404("No such job.")
    return job


urlpatterns = [
    path("", queue, name="hazards"),
    path("jobs/<int:job_pk>/", case_detail, name="hazard_case"),
    path("jobs/<int:job_pk>/print-summary/", summary_print, name="hazard_summary_print"),
    path("jobs/<int:job_pk>/<slug:action>/", case_action, name="hazard_action"),
]
