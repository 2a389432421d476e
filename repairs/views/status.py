"""The public status page: what is happening to a repair, in plain words, for anyone holding its link.

It never shows a name, phone number, email, alert or another resident's details: only the job's state,
its appointment, its public timeline and how many people reported it. The part every follower of a job
sees alike is rendered once and cached per job (`repairs.status_cache`); the per-report parts (the
reference, the links to act) are rendered around it, and the whole page of a link is stored too, so a
repeat anonymous view runs no query and touches no session.

Nobody may learn which repairs exist by guessing. Looking a repair up by reference and postcode answers
an unknown reference, a known one with a wrong postcode and a malformed one with the same page, after
the same single query and a constant-time postcode comparison; the tries are limited per client
address. A status link that matches no repair, malformed or not, is the site's ordinary 404 page after
the same single query; every link request is limited per client address, and a client that keeps
missing is refused (429) for a while, whatever link it asks for next.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cms import page_cache
from properties.postcodes import InvalidPostcode, normalise_postcode, postcode_key
from scheduling.selectors import live_appointment
from workflows.intake import withdraw_report
from workflows.linked_jobs import report_recall
from workflows.timeline import public_timeline

from .. import status_cache
from ..abuse import Limit, hit, spent, too_many_page
from ..forms import LookupForm, RecallForm
from ..journey import booking
from ..journey.params import error_list, text_field
from ..models import Job, JobState, Report
from ..selectors import report_by_status_token, report_for_lookup
from .journey import posted, slot_page, week_from

NOT_FOUND = gettext_lazy(
    "We could not find a repair with that reference and postcode. Check them and try again."
)
TOO_MANY_TITLE = gettext_lazy("Too many tries")

STATE_WORDS = {
    JobState.REPORTED: gettext_lazy("Reported: we have your report and will check what is needed."),
    JobState.TRIAGED: gettext_lazy("Checked: we know what is needed and are arranging the work."),
    JobState.SCHEDULED: gettext_lazy("Booked: a visit is arranged."),
    JobState.IN_PROGRESS: gettext_lazy("In progress: work has started."),
    JobState.ON_HOLD: gettext_lazy("On hold: the repair is waiting for something, such as parts."),
    JobState.NO_ACCESS: gettext_lazy("We could not get in: the visit needs to be arranged again."),
    JobState.COMPLETED: gettext_lazy("Completed: the work has been done."),
    JobState.CLOSED: gettext_lazy("Closed: the repair is finished."),
    JobState.CANCELLED: gettext_lazy("Cancelled."),
    JobState.REJECTED: gettext_lazy("Not a repair the council does."),
    JobState.MERGED: gettext_lazy("Joined to another report of the same fault."),
}
BOOKABLE_STATES = {JobState.REPORTED, JobState.TRIAGED, JobState.NO_ACCESS}
CHANGEABLE_STATES = {JobState.REPORTED, JobState.TRIAGED, JobState.SCHEDULED}
FINISHED_STATES = {JobState.COMPLETED, JobState.CLOSED}


def _noindex(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _report_or_404(token: str) -> Report:
    report = report_by_status_token(token)
    if report is None:
        raise Http404("No repair has this link.")
    return report


def _too_many(request: HttpRequest, verdict) -> HttpResponse:
    return _noindex(
        too_many_page(request, verdict, template="repairs/status/too_many.html", title=TOO_MANY_TITLE)
    )


def link_limited(view):
    """Limit a status-link view per client address: every request counts against STATUS_LINK_RATE, and
    each link that matches no repair against STATUS_MISS_RATE, which once spent refuses every link."""

    @wraps(view)
    def limited(request: HttpRequest, token: str, *args, **kwargs) -> HttpResponse:
        misses = Limit.from_settings("status-miss", "STATUS_MISS_RATE")
        if not (verdict := spent(request, misses)).allowed:
            return _too_many(request, verdict)
        if not (verdict := hit(request, Limit.from_settings("status-link", "STATUS_LINK_RATE"))).allowed:
            return _too_many(request, verdict)
        try:
            return view(request, token, *args, **kwargs)
        except Http404:
            hit(request, misses)
            raise

    return limited


# --- what the page says -------------------------------------------------------------------------


@dataclass(frozen=True)
class NextStep:
    text: str
    calendar_token: str = ""


def what_happens_next(job: Job, *, report: Report | None = None, appointment=...) -> NextStep:
    """One sentence on what happens next and by when (shared by the confirmation and the status page)."""
    if appointment is ...:
        appointment = live_appointment(job)
    due = timezone.localtime(job.due_at, booking.LONDON) if job.due_at else None
    by_when = (
        " " + _("We aim to finish the repair by %(day)s.") % {"day": formats.date_format(due, "l j F Y")}
        if due
        else ""
    )
    if job.state in FINISHED_STATES:
        return NextStep(_("The repair is finished. If the problem comes back, tell us."))
    if job.state in {JobState.CANCELLED, JobState.REJECTED}:
        return NextStep(_("Nothing more will happen with this repair."))
    if appointment is not None and appointment.starts_at and appointment.status == "booked":
        slot = booking.Slot(appointment.starts_at, appointment.ends_at or appointment.starts_at)
        return NextStep(
            _("We will visit on %(visit)s. Someone aged 18 or over needs to be in.")
            % {"visit": booking.slot_text(slot)},
            appointment.calendar_token,
        )
    if appointment is not None and appointment.status == "with_contractor":
        return NextStep(
            (
                booking.message_in_language(appointment.message)
                or _("The contractor will contact you to arrange a visit.")
            )
            + by_when
        )
    if job.is_communal:
        return NextStep(_("You do not need to be in: we will fix it in the shared area.") + by_when)
    if job.state == JobState.IN_PROGRESS:
        return NextStep(_("Work has started.") + by_when)
    return NextStep(_("We will contact you within 2 working days to arrange a time to visit.") + by_when)


def status_content(job: Job) -> dict:
    """The shared part of the page for this job, from the cache or rendered now (constant queries)."""
    content = status_cache.get(job.pk)
    if content is not None:
        return content
    appointment = live_appointment(job)
    reporters = job.reports.live().count()
    nxt = what_happens_next(job, appointment=appointment)
    html = render_to_string(
        "repairs/status/_content.html",
        {
            "job": job,
            "state_words": STATE_WORDS.get(job.state, job.get_state_display()),
            "timeline": public_timeline(job),
            "next": nxt,
            "neighbours": reporters - 1 if job.is_communal else 0,
            "ics_url": reverse("scheduling:appointment_ics", args=[nxt.calendar_token])
            if nxt.calendar_token
            else "",
        },
    )
    content = {
        "html": html,
        "state": job.state,
        "booked": bool(appointment is not None and appointment.status == "booked" and appointment.starts_at),
        "has_appointment": appointment is not None,
    }
    status_cache.put(job.pk, content)
    return content


def _actions(report: Report, content: dict) -> dict:
    """Which links the resident gets: only the reporter of an in-home repair moves its appointment."""
    job = report.job
    own_home = bool(job.property_id) and report.reporter_property_id in (None, job.property_id)
    token = report.status_token
    withdrawn = report.withdrawn_at is not None
    state = content["state"]
    return {
        "change": own_home and content["booked"] and state in CHANGEABLE_STATES and not withdrawn,
        "book": own_home and not content["has_appointment"] and state in BOOKABLE_STATES and not withdrawn,
        "recall": state in FINISHED_STATES and not withdrawn,
        "withdraw": state in {JobState.REPORTED, JobState.TRIAGED, JobState.SCHEDULED} and not withdrawn,
        "withdrawn": withdrawn,
        "appointment_url": reverse("repairs:status_appointment", args=[token]),
        "cancel_appointment_url": reverse("repairs:status_cancel_appointment", args=[token]),
        "recall_url": reverse("repairs:status_recall", args=[token]),
        "withdraw_url": reverse("repairs:status_withdraw", args=[token]),
    }


MESSAGES = {
    "changed": gettext_lazy("Your appointment has been changed."),
    "booked": gettext_lazy("Your appointment is booked."),
    "cancelled": gettext_lazy(
        "Your appointment has been cancelled. We will contact you to arrange another time, "
        "or you can choose a new one below."
    ),
    "withdrawn": gettext_lazy("Your report has been cancelled."),
    "recalled": gettext_lazy("Thank you. We have recorded that the repair has failed and will put it right."),
}


def problem_words(report: Report) -> str:
    """What was diagnosed, in the content's words (never the resident's own description, which may
    name people); empty for a report made without the online diagnosis."""
    for step in reversed(report.diagnosis or []):
        if isinstance(step, dict) and step.get("outcome"):
            return str(step["outcome"])
    return ""


@never_cache
@link_limited
def status(request: HttpRequest, token: str) -> HttpResponse:
    """Served whole from the cache for a repeat anonymous view (no query, no session touched)."""
    done = request.GET.get("done", "")
    done = done if done in MESSAGES else ""
    cacheable = status_cache.is_cacheable(request)
    if cacheable and (hit := status_cache.cached_response(request, token, done)) is not None:
        return _noindex(hit)
    report = _report_or_404(token)
    # Read before the rows: a change made while this renders leaves the stored page already stale.
    job_version = status_cache.version(report.job_id) if cacheable else 0
    generation = page_cache.generation() if cacheable else 0
    content = status_content(report.job)
    response = TemplateResponse(
        request,
        "repairs/status/status.html",
        {
            "title": _("Your repair"),
            "problem": problem_words(report),
            "report": report,
            "content": content,
            "actions": _actions(report, content),
            "message": MESSAGES.get(done),
        },
    )
    if cacheable:
        status_cache.store(
            request,
            token,
            done,
            job_id=report.job_id,
            job_version=job_version,
            generation=generation,
            response=response,
        )
    return _noindex(response)


# --- look a repair up ---------------------------------------------------------------------------


KNOWN_POSTCODES = 3  # the home, the reporter's home, the communal area's block


def _matches(report: Report | None, typed_postcode: str) -> bool:
    """Whether the typed postcode is one of the report's, doing the same work whatever the answer."""
    try:
        typed = postcode_key(normalise_postcode(typed_postcode))
    except InvalidPostcode:
        typed = ""
    known = [postcode_key(p) for p in _known_postcodes(report) if p] if report is not None else []
    known += [""] * (KNOWN_POSTCODES - len(known))
    matched = False
    for candidate in known:  # no early exit, no short-circuit: every candidate is compared
        matched |= bool(candidate) & hmac.compare_digest(typed.encode(), candidate.encode())
    return matched and bool(typed) and report is not None


def _known_postcodes(report: Report) -> list[str]:
    job = report.job
    postcodes = []
    if job.property_id:
        postcodes.append(job.property.postcode)
    if report.reporter_property_id:
        postcodes.append(report.reporter_property.postcode)
    if job.communal_area_id and job.communal_area.block_id:
        postcodes.append(job.communal_area.block.postcode)
    return postcodes


@never_cache
@require_http_methods(["GET", "POST"])
def check_repair(request: HttpRequest) -> HttpResponse:
    form = LookupForm(posted(request))
    status_code = 200
    if request.method == "POST":
        if not (verdict := hit(request, Limit.from_settings("lookup", "STATUS_LOOKUP_RATE"))).allowed:
            return _too_many(request, verdict)
        if form.is_valid():
            report = report_for_lookup(form.cleaned_data["reference"])
            if _matches(report, form.cleaned_data["postcode"]):
                return redirect("repairs:status", token=report.status_token)
            form.add_error(None, NOT_FOUND)
        status_code = 400
    errors = error_list(form, {"__all__": "reference"})
    errors = [dict(e, href="#reference") if e["href"] == "#main-content" else e for e in errors]
    response = TemplateResponse(
        request,
        "repairs/status/check.html",
        {
            "title": _("Check a repair"),
            "error_list": errors,
            "not_found": form.errors.get("__all__", [None])[0] if form.is_bound else None,
            "reference": text_field(
                form,
                "reference",
                _("Repair reference"),
                hint={"text": _("It starts with RP, for example RP-7K3M9Q")},
                classes="govuk-input--width-10",
                spellcheck=False,
                autocapitalize="characters",
            ),
            "postcode": text_field(
                form,
                "postcode",
                _("Postcode of the repair"),
                classes="govuk-input--width-10",
                autocomplete="postal-code",
                spellcheck=False,
            ),
        },
        status=status_code,
    )
    return _noindex(response)


# --- acting on a repair -------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@link_limited
def status_appointment(request: HttpRequest, token: str) -> HttpResponse:
    """Choose a new time (change) or a first time again (after a cancellation or no access)."""
    report = _report_or_404(token)
    actions = _actions(report, status_content(report.job))
    status_url = reverse("repairs:status", args=[token])
    if not (actions["change"] or actions["book"]):
        return redirect(status_url)
    job = Job.objects.select_related("property", "trade", "priority").get(pk=report.job_id)
    start = week_from(request)
    plan = booking.week_of_slots(job, start=booking.local_midnight(start) if start else None)
    if plan.kind != "slots":
        return _noindex(
            TemplateResponse(
                request,
                "repairs/status/no_booking.html",
                {"title": _("Arranging your appointment"), "plan": plan, "back_url": status_url},
            )
        )

    def choose(key: str, text: str) -> HttpResponse:
        slot = booking.Slot.from_key(key)
        try:
            if actions["change"]:
                appointment = live_appointment(job)
                booking.reschedule_appointment(appointment=appointment, slot=slot)
                done = "changed"
            else:
                booking.book_appointment(job=job, slot=slot)
                done = "booked"
        except booking.SlotUnavailable as error:
            request.session["status_slot_taken"] = error.message
            return redirect(request.get_full_path())
        except booking.SchedulerError:
            request.session["status_slot_taken"] = _(
                "We could not book that time just now. Try again, or call us to arrange a visit."
            )
            return redirect(request.get_full_path())
        status_cache.drop(job.pk)
        return redirect(f"{status_url}?done={done}")

    taken = request.session.pop("status_slot_taken", None)
    return _noindex(
        slot_page(
            request,
            plan.page,
            start=start,
            chosen=None,
            taken_message=taken,
            back=status_url,
            on_choice=choose,
            heading=_("Choose a new appointment") if actions["change"] else _("Choose an appointment"),
            allow_none=False,
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
@link_limited
def status_cancel_appointment(request: HttpRequest, token: str) -> HttpResponse:
    report = _report_or_404(token)
    status_url = reverse("repairs:status", args=[token])
    if not _actions(report, status_content(report.job))["change"]:
        return redirect(status_url)
    if request.method == "POST":
        appointment = live_appointment(report.job)
        if appointment is not None:
            booking.cancel_appointment(appointment=appointment)
        status_cache.drop(report.job_id)
        return redirect(f"{status_url}?done=cancelled")
    return _noindex(
        TemplateResponse(
            request,
            "repairs/status/confirm.html",
            {
                "title": _("Are you sure you want to cancel this appointment?"),
                "body": _("We will not visit at this time. You can choose a new time afterwards."),
                "button": _("Cancel the appointment"),
                "back_url": status_url,
            },
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
@link_limited
def status_withdraw(request: HttpRequest, token: str) -> HttpResponse:
    report = _report_or_404(token)
    status_url = reverse("repairs:status", args=[token])
    if not _actions(report, status_content(report.job))["withdraw"]:
        return redirect(status_url)
    errors = []
    if request.method == "POST":
        try:
            withdraw_report(report)
        except ValidationError as error:
            errors = [{"text": m, "href": "#main-content"} for m in error.messages]
        else:
            status_cache.drop(report.job_id)
            return redirect(f"{status_url}?done=withdrawn")
    return _noindex(
        TemplateResponse(
            request,
            "repairs/status/confirm.html",
            {
                "title": _("Are you sure you want to cancel this report?"),
                "body": _("Only do this if you reported the repair by mistake, or it no longer needs doing."),
                "button": _("Cancel my report"),
                "back_url": status_url,
                "error_list": errors,
            },
            status=400 if errors else 200,
        )
    )


@never_cache
@require_http_methods(["GET", "POST"])
@link_limited
def status_recall(request: HttpRequest, token: str) -> HttpResponse:
    report = _report_or_404(token)
    status_url = reverse("repairs:status", args=[token])
    if not _actions(report, status_content(report.job))["recall"]:
        return redirect(status_url)
    form = RecallForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            recall = report_recall(report, description=form.cleaned_data["description"])
        except ValidationError as error:
            form.add_error("description", error.messages[0])
        else:
            status_cache.drop(report.job_id)
            status_cache.drop(recall.pk)
            return redirect(f"{status_url}?done=recalled")
    heading = _("What is still wrong?")
    return _noindex(
        TemplateResponse(
            request,
            "repairs/journey/textarea_question.html",
            {
                "title": heading,
                "field": text_field(
                    form,
                    "description",
                    heading,
                    heading=True,
                    hint={"text": _("Tell us what has gone wrong since the repair was done.")},
                    rows=5,
                ),
                "error_list": error_list(form),
                "back_url": status_url,
            },
            status=400 if form.is_bound and form.errors else 200,
        )
    )
