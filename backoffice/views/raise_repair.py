"""Raise a repair for a caller (assisted digital).

The agent leads with the diagnosis the public uses: `raise_with_diagnosis` turns on assisted mode in
their own session (`repairs.journey.assisted`) and opens the public diagnosis, so they ask the caller
the same questions, then walk the same location, contact and appointment pages, and book while the
caller waits. The submit records it on the phone channel with the agent as its author.

The quick form stays for what the diagnosis cannot take: an emergency (the public pages tell a
resident to call, and the agent is that call) and a repair no outcome describes. It finds the home or
communal area by postcode and asks trade, priority and size. Both routes end in the same
`repairs.services.report_repair`, so a communal report joins the open job for the same area and trade,
and the caller gets the same reference and messages.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from wagtail.models import Locale

from cms.models import DiagnosisStartPage
from properties.models import CommunalArea, Property
from properties.postcodes import InvalidPostcode
from properties.selectors import addresses_at_postcode
from repairs.journey import assisted
from repairs.models import Channel
from repairs.services import report_repair

from ..access import is_contractor, staff_required
from ..forms import PostcodeForm, RaiseRepairForm


def _agent_only(request: HttpRequest) -> None:
    if is_contractor(request.user):
        raise PermissionDenied("Contractors do not raise repairs here.")


@staff_required
def raise_repair(request: HttpRequest) -> HttpResponse:
    """Step one: the caller's postcode, then the homes and communal areas there."""
    _agent_only(request)
    form = PostcodeForm(request.GET or None)
    found = None
    if form.is_bound and form.is_valid():
        try:
            found = addresses_at_postcode(form.cleaned_data["postcode"])
        except InvalidPostcode:
            form.add_error("postcode", "Enter a full UK postcode, like SW1A 1AA")
    return render(
        request,
        "backoffice/raise_find.html",
        {
            "form": form,
            "found": found,
            "nav": "raise",
            "diagnosis_live": DiagnosisStartPage.objects.live().exists(),
            "assisting": assisted.is_on(request.session),
        },
    )


@require_POST
@staff_required
def raise_with_diagnosis(request: HttpRequest) -> HttpResponse:
    """Start the public diagnosis for a caller, afresh, in assisted mode."""
    _agent_only(request)
    start = _diagnosis_start()
    if start is None:
        messages.error(request, "The diagnosis is not published. Use the quick form.")
        return redirect("backoffice:raise_repair")
    if not assisted.begin(request):
        raise PermissionDenied("Only council staff raise repairs for callers.")
    return redirect(start.get_url(request))


def _diagnosis_start() -> DiagnosisStartPage | None:
    """The live start page in the agent's language (the site's default), else the first one there is."""
    pages = DiagnosisStartPage.objects.live().order_by("path")
    return pages.filter(locale=Locale.get_active()).first() or pages.first()


@require_POST
@staff_required
def stop_assisting(request: HttpRequest) -> HttpResponse:
    """Leave the caller's report unfinished: later public pages in this browser are not assisted."""
    assisted.end(request.session)
    messages.success(request, "You are no longer reporting for a caller.")
    return redirect("backoffice:raise_repair")


@staff_required
def raise_for_home(request: HttpRequest, pk: int) -> HttpResponse:
    _agent_only(request)
    home = Property.objects.select_related("block__estate").filter(pk=pk, is_active=True).first()
    if home is None:
        raise Http404("No such home.")
    return _report(request, place=str(home), property=home)


@staff_required
def raise_for_communal_area(request: HttpRequest, pk: int) -> HttpResponse:
    _agent_only(request)
    area = CommunalArea.objects.select_related("block", "estate").filter(pk=pk, is_active=True).first()
    if area is None:
        raise Http404("No such communal area.")
    return _report(request, place=str(area), communal_area=area)


def _report(request: HttpRequest, *, place: str, **where) -> HttpResponse:
    form = RaiseRepairForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = report_repair(
                **where,
                trade=data["trade"],
                priority=data["priority"],
                size=data["size"],
                description=data["description"],
                contact_name=data["contact_name"],
                contact_phone=data["contact_phone"],
                contact_email=data["contact_email"],
                update_preference=data["update_preference"],
                access_notes=data["access_notes"],
                channel=Channel.PHONE,
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if report.already_reported:
                messages.success(
                    request, f"The caller had already reported this: their reference is {report.reference}."
                )
            elif report.joined_existing_job:
                messages.success(
                    request,
                    f"Reference {report.reference}. This fault was already reported: the caller now follows "
                    f"job {report.job_id} and gets its updates.",
                )
            else:
                messages.success(
                    request, f"Repair raised. Give the caller their reference: {report.reference}."
                )
            if report.job.priority.is_emergency:
                return redirect("backoffice:job", pk=report.job_id)
            return redirect("backoffice:job_book", pk=report.job_id)
    return render(request, "backoffice/raise_form.html", {"form": form, "place": place, "nav": "raise"})
