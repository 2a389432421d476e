"""One job: everything staff need to decide, and the forms that move it on.

Every form posts to its own URL and comes back to the job page with a message. The job is looked up
through `visible_jobs`, so a contractor asking for another team's job gets 404 on every one of them.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notifications.selectors import unreachable_messages
from repairs.models import Job
from workflows.errors import LifecycleError
from workflows.selectors import available_actions
from workflows.services import acknowledge_attention, change_priority, merge_jobs, transition_job

from .. import audit, selectors
from ..access import staff_required, visible_jobs
from ..forms import CostsForm, MergeForm, NoteForm, PriorityForm, TradeSizeForm, TransitionForm
from ..services import add_staff_note, change_trade_and_size, record_costs
from ..tables import place_of, state_tag


def get_job(request: HttpRequest, pk: int) -> Job:
    try:
        return selectors.job_for_staff(visible_jobs(request.user), pk)
    except Job.DoesNotExist:
        raise Http404("No such job.") from None


def _plain_job(request: HttpRequest, pk: int) -> Job:
    job = visible_jobs(request.user).select_related("priority", "trade").filter(pk=pk).first()
    if job is None:
        raise Http404("No such job.")
    return job


@staff_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_job(request, pk)
    alerts, asbestos = selectors.safety_records(job)
    reports = list(job.reports.all())
    appointments = list(job.appointments.all())
    actions = available_actions(job, request.user)
    can_triage = request.user.has_perm("workflows.triage_job")
    return render(
        request,
        "backoffice/job.html",
        {
            "job": job,
            "place": place_of(job),
            "state_tag": state_tag(job),
            "reports": reports,
            "live_appointment": next((a for a in appointments if a.is_live), None),
            "appointments": appointments,
            "booking_queue": list(job.booking_queue.all()),
            "events": list(selectors.staff_timeline(job).select_related("actor")),
            "changes": audit.job_changes(job),
            "alerts": alerts,
            "asbestos": asbestos,
            "unreachable": list(unreachable_messages(job)[:20]),
            "actions": [
                (
                    action,
                    TransitionForm(
                        initial={"action": action.name, "seen_state": job.state}, prefix=action.name
                    ),
                )
                for action in actions
            ],
            "can_triage": can_triage,
            "can_schedule": request.user.has_perm("workflows.schedule_job"),
            "can_merge": request.user.has_perm("workflows.merge_job") and job.is_open,
            "priority_form": PriorityForm(initial={"priority": job.priority_id}) if can_triage else None,
            "trade_form": TradeSizeForm(initial={"trade": job.trade_id, "size": job.size})
            if can_triage
            else None,
            "costs_form": CostsForm(
                initial={"estimated_cost": job.estimated_cost, "actual_cost": job.actual_cost}
            ),
            "note_form": NoteForm(),
            "merge_form": MergeForm(),
            "duplicates": list(selectors.open_duplicates(job)[:10]) if job.is_open else [],
            "nav": "queue",
        },
    )


@staff_required
@require_POST
def job_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    job = _plain_job(request, pk)
    form = TransitionForm(request.POST, prefix=action)
    if not form.is_valid() or form.cleaned_data["action"] != action:
        messages.error(request, "That form was incomplete: try again.")
        return redirect("backoffice:job", pk=pk)
    if form.cleaned_data["seen_state"] != job.state:
        messages.error(
            request,
            f"Job {pk} was changed by someone else while you were looking at it (it is now "
            f"{job.get_state_display().lower()}). Check it and try again.",
        )
        return redirect("backoffice:job", pk=pk)
    try:
        transition_job(
            job,
            action,
            by=request.user,
            note=form.cleaned_data["note"],
            public_note=form.cleaned_data["public_note"],
        )
    except LifecycleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Job {pk} is now {job.get_state_display().lower()}.")
    return redirect("backoffice:job", pk=pk)


@staff_required
@require_POST
def job_priority(request: HttpRequest, pk: int) -> HttpResponse:
    job = _plain_job(request, pk)
    form = PriorityForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Change priority: choose a priority and say why in the note.")
        return redirect("backoffice:job", pk=pk)
    return _attempt(
        request,
        pk,
        lambda: change_priority(
            job, form.cleaned_data["priority"], by=request.user, note=form.cleaned_data["note"]
        ),
        f"Priority is now {form.cleaned_data['priority'].name}.",
    )


@staff_required
@require_POST
def job_trade(request: HttpRequest, pk: int) -> HttpResponse:
    job = _plain_job(request, pk)
    form = TradeSizeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Change trade or size: choose both and say why in the note.")
        return redirect("backoffice:job", pk=pk)
    data = form.cleaned_data
    return _attempt(
        request,
        pk,
        lambda: change_trade_and_size(
            job, trade=data["trade"], size=data["size"], by=request.user, note=data["note"]
        ),
        "Trade and size saved.",
    )


@staff_required
@require_POST
def job_costs(request: HttpRequest, pk: int) -> HttpResponse:
    job = _plain_job(request, pk)
    form = CostsForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter costs in pounds and pence, like 125.50, and not below zero.")
        return redirect("backoffice:job", pk=pk)
    data = form.cleaned_data
    return _attempt(
        request,
        pk,
        lambda: record_costs(
            job, by=request.user, estimated_cost=data["estimated_cost"], actual_cost=data["actual_cost"]
        ),
        "Costs saved.",
    )


@staff_required
@require_POST
def job_note(request: HttpRequest, pk: int) -> HttpResponse:
    job = _plain_job(request, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Write the note.")
        return redirect("backoffice:job", pk=pk)
    return _attempt(
        request,
        pk,
        lambda: add_staff_note(job, by=request.user, note=form.cleaned_data["note"]),
        "Note added.",
    )


@staff_required
@require_POST
def job_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    job = _plain_job(request, pk)
    note = request.POST.get("note", "")
    return _attempt(
        request, pk, lambda: acknowledge_attention(job, by=request.user, note=note), "Marked as looked at."
    )


@staff_required
@require_POST
def job_merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge this job (the duplicate) into another the user may also see."""
    job = _plain_job(request, pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter the number of the job to merge into.")
        return redirect("backoffice:job", pk=pk)
    into = _plain_job(request, form.cleaned_data["into"])
    try:
        merge_jobs(
            job, into, by=request.user, note=form.cleaned_data["note"], force=form.cleaned_data["force"]
        )
    except LifecycleError as error:
        messages.error(request, str(error))
        return redirect("backoffice:job", pk=pk)
    messages.success(request, f"Job {pk} merged into job {into.pk}; its reporters now follow job {into.pk}.")
    return redirect("backoffice:job", pk=into.pk)


def _attempt(request: HttpRequest, pk: int, change, success: str) -> HttpResponse:
    try:
        change()
    except LifecycleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect("backoffice:job", pk=pk)
