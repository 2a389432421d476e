"""Report a repair: one question per page, answers kept in the session, posted and redirected (PRG).

The diagnosis already decided home or communal, trade, size and priority, so they are never asked
again. The order of pages depends only on the answers so far (`steps`), so each page's back link walks
the path taken, and a page reached too early sends the resident to the first question still unanswered.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from cms import diagnosis
from cms.models import OutcomePage
from properties.models import CommunalArea, Property
from properties.selectors import addresses_at_postcode

from .. import forms as journey_forms
from ..abuse import HONEYPOT_FIELD, honeypot_filled, over_limit
from ..journey import assisted, booking, state
from ..journey.params import error_list, first_error, radios, text_field
from ..journey.submit import HOUSEHOLD_QUESTION, AlreadySubmitting, submit
from ..models import Job, Report
from ..photos import MAX_PHOTOS, add_draft_photo, draft_photos, new_draft_key, remove_draft_photo

MAX_WEEKS_AHEAD = 8
ADDRESS_RADIOS_MAX = 12  # more homes than this at a postcode are offered as a drop-down list


# --- the path -----------------------------------------------------------------------------------


def steps(journey: state.Journey) -> list[str]:
    """The pages of this resident's journey, in order."""
    path = ["postcode", "address"]
    if journey.is_communal:
        path.append("your_home")
        if journey["joined_job_id"]:
            path.append("already_reported")
    path.append("description")
    if journey.get("asks_household"):
        path.append("household")
    path.append("photos")
    if not journey.is_communal:
        path.append("access")
    path += ["contact", "updates"]
    if not journey.is_communal:
        path.append("appointment")
    path.append("check")
    return path


DONE: dict[str, Callable[[state.Journey], bool]] = {
    "postcode": lambda j: bool(j["postcode"]),
    "address": lambda j: bool(j["property_id"] or j["communal_area_id"]),
    "your_home": lambda j: j.get("home_id") is not None,
    "already_reported": lambda j: bool(j["seen_already_reported"]),
    "description": lambda j: bool(j["description"]),
    "household": lambda j: j.get("household_at_risk") is not None,
    "photos": lambda j: bool(j["photos_done"]),
    "access": lambda j: j.get("access_notes") is not None,
    "contact": lambda j: bool(j["contact_name"]),
    "updates": lambda j: bool(j["update_preference"]),
    "appointment": lambda j: bool(j["plan"]) and (j["plan"] != "slots" or bool(j["slot_key"])),
    "check": lambda j: False,
}


def url_for(step: str) -> str:
    return reverse(f"repairs:report_{step}")


def next_url(journey: state.Journey, step: str, request: HttpRequest) -> str:
    """After answering: back to the check page when changing an answer, else the next unanswered page."""
    path = steps(journey)
    if request.GET.get("change") and all(DONE[s](journey) for s in path[:-1]):
        return url_for("check")
    for later in path[path.index(step) + 1 :]:
        if not DONE[later](journey) or later == "check":
            return url_for(later)
    return url_for("check")


def back_url(journey: state.Journey, step: str, request: HttpRequest) -> str:
    if request.GET.get("change"):
        return url_for("check")
    path = steps(journey)
    index = path.index(step) if step in path else 0
    if index == 0:
        outcome = OutcomePage.objects.filter(pk=journey["outcome_page_id"]).first()
        return outcome.url if outcome else "/"
    return url_for(path[index - 1])


def journey_step(step: str):
    """Load the journey (or say it has expired) and send a resident who skipped ahead to the right page."""

    def decorate(view):
        @never_cache
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            journey = state.current(request.session)
            if journey is None:
                return redirect("repairs:report_expired")
            path = steps(journey)
            if step in path:
                for earlier in path[: path.index(step)]:
                    if not DONE[earlier](journey):
                        return redirect(url_for(earlier))
            elif step != "not_repaired":
                return redirect(url_for(path[0]))
            return view(request, journey, *args, **kwargs)

        wrapped.__name__ = view.__name__
        return wrapped

    return decorate


def posted(request: HttpRequest):
    """The form data on a POST (even an empty one, so a form with nothing chosen shows its error)."""
    return request.POST if request.method == "POST" else None


def render(request, template: str, context: dict, *, form=None) -> TemplateResponse:
    status = 400 if form is not None and form.is_bound and form.errors else 200
    context.setdefault("error_list", error_list(form) if form is not None else [])
    return TemplateResponse(request, f"repairs/journey/{template}", context, status=status)


# --- start and expiry ---------------------------------------------------------------------------


@never_cache
def report_start(request: HttpRequest) -> HttpResponse:
    """Start from the diagnosis outcome reached; only a bookable, non-emergency outcome may be reported."""
    reached = diagnosis.reached_outcome(request.session)
    outcome = (
        OutcomePage.objects.live().filter(pk=reached.page_id).select_related("priority").first()
        if reached
        else None
    )
    if outcome is None:
        return redirect("repairs:report_expired")
    if not outcome.is_bookable or outcome.missing_repair_details() or outcome.priority.is_emergency:
        return HttpResponseRedirect(outcome.url)
    journey = state.current(request.session)
    if journey is None or journey["outcome_page_id"] != outcome.pk:
        journey = state.begin(
            request.session,
            {
                "outcome_page_id": outcome.pk,
                "outcome_summary": outcome.summary,
                "location": outcome.location,
                "diagnosis": diagnosis.as_report_diagnosis(request.session),
                "draft_key": new_draft_key(),
                "asks_household": bool(outcome.hazard_kind_id and outcome.asks_about_household),
            },
        )
    else:
        journey.update(diagnosis=diagnosis.as_report_diagnosis(request.session))
    for step in steps(journey):
        if not DONE[step](journey):
            return redirect(url_for(step))
    return redirect(url_for("check"))


@never_cache
def report_expired(request: HttpRequest) -> HttpResponse:
    from wagtail.models import Locale

    from cms.models import DiagnosisStartPage

    start = DiagnosisStartPage.objects.live().filter(locale=Locale.get_active()).first()
    start = start or DiagnosisStartPage.objects.live().first()
    return TemplateResponse(
        request, "repairs/journey/expired.html", {"start_url": start.url if start else "/"}
    )


# --- where --------------------------------------------------------------------------------------


@journey_step("postcode")
@require_http_methods(["GET", "POST"])
def report_postcode(request: HttpRequest, journey: state.Journey) -> HttpResponse:
    if request.method == "POST" and honeypot_filled(request):
        journey.forget(*list(journey.data))  # a bot: end the journey quietly, saying nothing
        return redirect("repairs:report_expired")
    form = journey_forms.PostcodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        postcode = form.cleaned_data["postcode"]
        if postcode != journey["postcode"]:
            journey.forget("property_id", "communal_area_id", "home_id", "joined_job_id", "plan", "slot_key")
        journey.update(postcode=postcode)
        return redirect(next_url(journey, "postcode", request))
    heading = (
        _("What is the postcode of the communal area?")
        if journey.is_communal
        else _("What is your postcode?")
    )
    field = text_field(
        form,
        "postcode",
        heading,
        initial=journey["postcode"],
        heading=True,
        classes="govuk-input--width-10",
        autocomplete="postal-code",
        spellcheck=False,
        hint={"text": _("For example, AA3 1AB")}
        if not journey.is_communal
        else {"text": _("The postcode of the building or estate, for example AA3 1AB")},
    )
    return render(
        request,
        "text_question.html",
        {
            "title": heading,
            "field": field,
            "back_url": back_url(journey, "postcode", request),
            "honeypot": HONEYPOT_FIELD,
        },
        form=form,
    )


def _not_repaired_homes(found) -> tuple:
    return tuple(getattr(found, "not_repaired", ()) or ())


@journey_step("address")
@require_http_methods(["GET", "POST"])
def report_address(request: HttpRequest, journey: state.Journey) -> HttpResponse:
    found = addresses_at_postcode(journey["postcode"])
    if journey.is_communal:
        options = [(str(a.pk), f"{a.name}, {a.block or a.estate}") for a in found.communal_areas]
        heading = _("Where is the problem?")
        message = _("Select where the problem is")
        current = journey["communal_area_id"]
    else:
        options = [(str(h.pk), h.one_line_address) for h in found.homes]
        heading = _("Select your address")
        message = _("Select your address")
        current = journey["property_id"]
    if not options:
        return render(
            request,
            "no_addresses.html",
            {
                "title": _("We could not find this address"),
                "postcode": journey["postcode"],
                "not_repaired": bool(_not_repaired_homes(found)),
                "back_url": url_for("postcode"),
            },
        )
    not_listed = [] if journey.is_communal else [("not_listed", _("My address is not listed"))]
    form = journey_forms.ChoiceForm(posted(request), choices=options + not_listed, message=message)
    if request.method == "POST" and form.is_valid():
        choice = form.cleaned_data["choice"]
        if choice == "not_listed":
            return redirect("repairs:report_not_repaired")
        if journey.is_communal:
            return _choose_communal_area(request, journey, int(choice))
        if str(journey["property_id"]) != choice:
            journey.forget("plan", "slot_key", "plan_message")
        journey.update(property_id=int(choice))
        return redirect(next_url(journey, "address", request))
    if not journey.is_communal and len(options) > ADDRESS_RADIOS_MAX:
        return address_list(
            request,
            form,
            heading=heading,
            homes=options,
            other=not_listed[0],
            chosen=str(current or ""),
            back=back_url(journey, "address", request),
            postcode=journey["postcode"],
        )
    items = [{"value": value, "text": text} for value, text in options]
    if not_listed:
        items += [{"divider": _("or")}, {"value": "not_listed", "text": _("My address is not listed")}]
    return render(
        request,
        "radios_question.html",
        {
            "title": heading,
            "radios": radios(
                form,
                "choice",
                heading,
                items,
                initial=str(current or ""),
                hint={"text": _("Addresses at %(postcode)s") % {"postcode": journey["postcode"]}},
            ),
            "change_postcode_url": url_for("postcode"),
            "back_url": back_url(journey, "address", request),
        },
        form=form,
    )


def address_list(
    request: HttpRequest,
    form,
    *,
    heading: str,
    homes: list,
    other: tuple[str, str],
    chosen: str,
    back: str,
    postcode: str,
    hint: str = "",
    change_postcode: bool = True,
) -> HttpResponse:
    """A block of flats: one drop-down list (the GOV.UK address pattern) instead of a page of radios."""
    return render(
        request,
        "address_select.html",
        {
            "title": heading,
            "options": homes,
            "other": other,
            "hint": hint,
            "postcode": postcode,
            "chosen": form.data.get("choice", "") if form.is_bound else chosen,
            "choice_error": first_error(form, "choice"),
            "change_postcode_url": url_for("postcode") if change_postcode else "",
            "back_url": back,
        },
        form=form,
    )


def _choose_communal_area(request: HttpRequest, journey: state.Journey, area_id: int) -> HttpResponse:
    from repairs.models import Trade

    outcome = OutcomePage.objects.get(pk=journey["outcome_page_id"])
    open_job = (
        Job.objects.open()
        .filter(communal_area_id=area_id, trade=Trade.objects.get(pk=outcome.trade_id))
        .order_by("created_at", "id")
        .first()
    )
    journey.update(communal_area_id=area_id, joined_job_id=open_job.pk if open_job else None)
    return redirect(next_url(journey, "address", request))


@journey_step("not_repaired")
def report_not_repaired(request: HttpRequest, journey: state.Journey) -> HttpResponse:
    return render(
        request,
        "not_repaired.html",
        {"title": _("We cannot take this report online"), "back_url": url_for("address")},
    )


@journey_step("your_home")
@require_http_methods(["GET", "POST"])
def report_your_home(request: HttpRequest, journey: state.Journey) -> HttpResponse:
    """A communal report still needs the reporter's own home, so we know who to keep informed."""
    found = addresses_at_postcode(journey["postcode"])
    homes = [(str(h.pk), h.one_line_address) for h in found.homes]
    form = journey_forms.ChoiceForm(
        posted(request), choices=[*homes, ("0", "elsewhere")], message=_("Select your address")
    )
    if request.method == "POST" and form.is_valid():
        journey.update(home_id=int(form.cleaned_data["choice"]) or 0)
        return redirect(next_url(journey, "your_home", request))
    heading = _("What is your address?")
    if len(homes) > ADDRESS_RADIOS_MAX:
        return address_list(
            request,
            form,
            heading=heading,
            homes=homes,
            other=("0", _("I live somewhere else")),
            chosen="" if journey["home_id"] is None else str(journey["home_id"]),
            back=back_url(journey, "your_home", request),
            postcode=journey["postcode"],
            hint=_("So we can keep you informed about this repair."),
            change_postcode=False,
        )
    items = [{"value": v, "text": t} for v, t in homes]
    items += (
        [{"divider": _("or")}, {"value": "0", "text": _("I live somewhere else")}]
        if homes
        else [{"value": "0", "text": _("I live somewhere else")}]
    )
    return render(
        request,
        "radios_question.html",
        {
            "title": heading,
            "radios": radios(
                form,
                "choice",
                heading,
                items,
                initial="" if journey["home_id"] is None else str(journey["home_id"]),
                hint={"text": _("So we can keep you informed about this repair")},
            ),
            "back_url": back_url(journey, "your_home", request),
        },
        form=form,
    )


@journey_step("already_reported")
@require_http_methods(["GET", "POST"])
def report_already_reported(request: HttpRequest, journey: state.Journey) -> HttpResponse:
    job = (
        Job.objects.filter(pk=journey["joined_job_id"])
        .annotate(reporters=Count("reports", filter=Q(reports__withdrawn_at__isnull=True)))
        .first()
    )
    if request.method == "POST" or job is None:
        journey.update(seen_already_reported=True)
        return redirect(next_url(journey, "already_reported", request))
    return render(
        request,
        "already_reported.html",
        {
            "title": _("This repair has already been reported"),
            "job": job,
            "neighbours": job.reporters,
            "back_url": back_url(journey, "already_reported", request),
        },
    )


# --- what ---------------------------------------------------------------------------------------


@journey_step("description")
@require_http_methods(["GET", "POST"])
def report_description(request: HttpRequest, journey: state.Journey) -> HttpResponse:
    form = journey_forms.DescriptionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        journey.update(description=form.cleaned_data["description"])
        return redirect(next_url(journey, "description", request))
    heading = _("Describe the problem")
    field = text_field(
        form,
        "description",
        heading,
        initial=journey["description"],
        heading=True,
        hint={
            "text": _(
                "We think it is: %(problem)s. Tell us where it is and what you can see. "
                "You can enter up to %(max)s characters."
            )
            % {"problem": journey["outcome_summary"], "max": journey_forms.DESCRIPTION_MAX}
        },
        spellcheck=True,
        rows=6,
    )
    return render(
        request,
        "textarea_question.html",
        {"title": heading, "field": field, "back_url": back_url(journey, "description", request)},
        form=form,
    )


@journey_step("household")
@require_http_methods(["GET", "POST"])
def report_household(request: HttpRequest, journey: state.Journey) -> HttpResponse:
    """Asked only where the outcome says so (damp and mould): a yes puts the hazard case up for emergency
    review, because mould harms babies, young children and people with health conditions fastest."""
    form = journey_forms.ChoiceForm(
        posted(request),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        message=_("Select yes if anyone in your home has a health condition or is very young"),
    )
    if request.method == "POST" and form.is_valid():
        journey.update(household_at_risk=form.cleaned_data["choice"] == "yes")
        return redirect(next_url(journey, "household", request))
    answered = journey.get("household_at_risk")
    return render(
        request,
        "radios_question.html",
        {
            "title": _(HOUSEHOLD_QUESTION),
            "radios": radios(
                form,
                "choice",
                _(HOUSEHOLD_QUESTION),
                [{"value": "yes", "text": _("Yes")}, {"value": "no", "text": _("No")}],
                initial="" if answered is None else ("yes" if answered else "no"),
                hint={
                    "text": _(
                        "For example a baby or young child, someone pregnant, someone older, or someone "
                        "with asthma, a lung or heart condition, or a weak immune system. We may then treat "
                        "the problem as an emergency."
                    )
                },
                classes="govuk-radios--inline",
            ),
            "back_url": back_url(journey, "household", request),
        },
        form=form,
    )


@journey_step("photos")
@require_http_methods(["GET", "POST"])
def report_photos(request: HttpRequest, journey: state.Journey) -> HttpResponse:
    """Up to three photos, each checked and cleaned the moment it arrives; 'Continue' moves on."""
    draft_key = journey["draft_key"]
    form = None
    if request.method == "POST":
        if request.POST.get("remove"):
            remove_draft_photo(draft_key=draft_key, photo_id=_int(request.POST["remove"]))
            return redirect(request.get_full_path())
        moving_on = request.POST.get("action") == "continue"
        if not (moving_on and not request.FILES.get("photo")):  # a photo chosen, then Continue, is kept
            form = journey_forms.PhotoForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    add_draft_photo(draft_key=draft_key, upload=form.cleaned_data["photo"])
                except ValidationError as error:
                    form.add_error("photo", error.messages[0])
        if form is None or not form.errors:
            if moving_on:
                journey.update(photos_done=True)
                return redirect(next_url(journey, "photos", request))
            return redirect(request.get_full_path())
    photos = list(draft_photos(draft_key))
    return render(
        request,
        "photos.html",
        {
            "title": _("Add photos of the problem (optional)"),
            "photos": photos,
            "can_add": len(photos) < MAX_PHOTOS,
            "max_photos": MAX_PHOTOS,
            "photo_error": form.errors["photo"][0] if form is not None and form.errors.get("photo") else None,
            "back_url": back_url(journey, "photos", request),
        },
        form=form,
    )


def _int(text: str) -> int:
    try:
        return int(text)
    except (TypeError, ValueError):
        return 0


@journey_step("access")
@require_http_methods(["GET", "POST"])
def report_access(request: HttpRequest, journey: state.Journey) -> HttpResponse:
    form = journey_forms.AccessForm(posted(request))
    if request.method == "POST" and form.is_valid():
        journey.update(access_notes=form.cleaned_data["access_notes"])
        return redirect(next_url(journey, "access", request))
    heading = _("Is there anything we should know to get into your home? (optional)")
    field = text_field(
        form,
        "access_notes",
        heading,
        initial=journey["access_notes"] or "",
        heading=True,
        hint={
            "text": _(
                "For example, a key safe, a dog, parking, or times you cannot be in. "
                "You can enter up to %(max)s characters."
            )
            % {"max": journey_forms.ACCESS_NOTES_MAX}
        },
        rows=4,
    )
    return render(
        request,
        "textarea_question.html",
        {"title": heading, "field": field, "back_url": back_url(journey, "access", request)},
        form=form,
    )


# --- who ----------------------------------------------------------------------------------------


@journey_step("contact")
@require_http_methods(["GET", "POST"])
def report_contact(request: HttpRequest, journey: state.Journey) -> HttpResponse:
    form = journey_forms.ContactForm(posted(request))
    if request.method == "POST" and form.is_valid():
        journey.update(**form.cleaned_data)
        return redirect(next_url(journey, "contact", request))
    name = text_field(
        form,
        "contact_name",
        _("Full name"),
        initial=journey["contact_name"],
        autocomplete="name",
        spellcheck=False,
    )
    phone = text_field(
        form,
        "contact_phone",
        _("Phone number (optional)"),
        initial=journey_forms.readable_phone(journey["contact_phone"] or ""),
        type="tel",
        autocomplete="tel",
        classes="govuk-input--width-20",
        hint={"text": _("So we can call you about this repair, for example 07700 900 982 or 01632 960 001")},
    )
    return render(
        request,
        "contact.html",
        {
            "title": _("Your contact details"),
            "name": name,
            "phone": phone,
            "back_url": back_url(journey, "contact", request),
        },
        form=form,
    )


@journey_step("updates")
@require_http_methods(["GET", "POST"])
def report_updates(request: HttpRequest, journey: state.Journey) -> HttpResponse:
    form = journey_forms.UpdatesForm(posted(request))
    if request.method == "POST" and form.is_valid():
        journey.update(**form.cleaned_data)
        return redirect(next_url(journey, "updates", request))
    return render(
        request,
        "updates.html",
        {
            "title": _("How do you want to get updates about this repair?"),
            "preference": form["update_preference"].value()
            if form.is_bound
            else journey["update_preference"],
            "email": text_field(
                form,
                "contact_email",
                _("Email address (if you chose email)"),
                initial=journey["contact_email"],
                type="email",
                autocomplete="email",
                spellcheck=False,
            ),
            "mobile": text_field(
                form,
                "update_phone",
                _("UK mobile number (if you chose text message)"),
                initial=journey_forms.readable_phone(
                    journey["update_phone"] or journey["contact_phone"] or ""
                ),
                type="tel",
                autocomplete="tel",
                classes="govuk-input--width-20",
            ),
            "preference_error": form.errors.get("update_preference", [None])[0] if form.is_bound else None,
            "back_url": back_url(journey, "updates", request),
        },
        form=form,
    )


# --- when ---------------------------------------------------------------------------------------


def unsaved_job(journey: state.Journey) -> Job:
    outcome = OutcomePage.objects.select_related("trade", "priority").get(pk=journey["outcome_page_id"])
    return Job(
        property=Property.objects.filter(pk=journey["property_id"]).first(),
        trade=outcome.trade,
        priority=outcome.priority,
        size=outcome.job_size,
        sor_code_id=outcome.sor_code_id,
        description=journey["description"] or outcome.summary,
    )


def week_from(request: HttpRequest) -> datetime.date | None:
    try:
        day = datetime.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        return None
    today = booking.today()
    if day <= today or day > today + datetime.timedelta(weeks=MAX_WEEKS_AHEAD):
        return None
    return day


@journey_step("appointment")
@require_http_methods(["GET", "POST"])
def report_appointment(request: HttpRequest, journey: state.Journey) -> HttpResponse:
    start = week_from(request)
    plan = booking.week_of_slots(unsaved_job(journey), start=booking.local_midnight(start) if start else None)
    if plan.kind != "slots":
        if request.method == "POST":
            journey.update(plan=plan.kind, plan_message=plan.message, slot_key=None, slot_text=None)
            return redirect(next_url(journey, "appointment", request))
        return render(
            request,
            "no_booking.html",
            {
                "title": _("Arranging your appointment"),
                "plan": plan,
                "add_phone_url": ""
                if journey["contact_phone"] or journey["update_phone"]
                else url_for("contact") + "?change=1",
                "back_url": back_url(journey, "appointment", request),
            },
        )
    return slot_page(
        request,
        plan.page,
        start=start,
        chosen=journey["slot_key"],
        taken_message=journey["slot_taken"],
        back=back_url(journey, "appointment", request),
        on_choice=lambda key, text: _choose_slot(request, journey, key, text),
    )


def _choose_slot(request: HttpRequest, journey: state.Journey, key: str, text: str) -> HttpResponse:
    if key == journey_forms.NO_SLOT:
        journey.update(
            plan="later", slot_key=None, slot_text=None, plan_message=booking.LATER_MESSAGE, slot_taken=None
        )
    else:
        journey.update(plan="slots", slot_key=key, slot_text=text, plan_message="", slot_taken=None)
    return redirect(next_url(journey, "appointment", request))


def slot_page(
    request: HttpRequest,
    page,
    *,
    start: datetime.date | None,
    chosen: str | None,
    taken_message: str | None,
    back: str,
    on_choice,
    heading: str = "",
    allow_none: bool = True,
) -> HttpResponse:
    """A week of slots as radios, with earlier and later weeks; shared by the journey and the status page."""
    heading = heading or _("Choose an appointment")
    offered = {slot.key: booking.slot_text(slot) for slot in page.slots}
    keys = list(offered) + ([journey_forms.NO_SLOT] if allow_none else [])
    form = journey_forms.SlotForm(posted(request), keys=keys)
    if request.method == "POST":
        sent = request.POST.get("slot", "")
        if sent and sent not in offered and sent != journey_forms.NO_SLOT:
            form.fields["slot"].choices.append((sent, sent))  # a slot from the page the resident saw
        if form.is_valid():
            key = form.cleaned_data["slot"]
            text = offered.get(key) or (
                booking.slot_text(booking.Slot.from_key(key)) if key != journey_forms.NO_SLOT else ""
            )
            return on_choice(key, text)
    items = [{"value": key, "text": text} for key, text in offered.items()]
    if allow_none:
        if items:
            items.append({"divider": _("or")})
        items.append(
            {
                "value": journey_forms.NO_SLOT,
                "text": _("None of these times suit me: contact me to arrange one"),
            }
        )
    week_start = page.window.start.astimezone(booking.LONDON).date()
    week_end = (page.window.end.astimezone(booking.LONDON) - datetime.timedelta(seconds=1)).date()
    later = page.next_start or page.window.end
    later_day = later.astimezone(booking.LONDON).date()
    today = booking.today()
    earlier_day = week_start - datetime.timedelta(days=7)
    error_items = error_list(form)
    if taken_message and not error_items:
        error_items = [{"text": taken_message, "href": "#slot"}]
    radios_params = radios(
        form,
        "slot",
        heading,
        items,
        initial=chosen or "",
        hint={
            "text": _("Times from %(start)s to %(end)s")
            % {
                "start": formats.date_format(week_start, "l j F"),
                "end": formats.date_format(week_end, "l j F"),
            }
        },
    )
    if taken_message and not form.is_bound:
        radios_params["errorMessage"] = {"text": taken_message}
    return TemplateResponse(
        request,
        "repairs/journey/appointment.html",
        {
            "title": heading,
            "radios": radios_params,
            "has_slots": bool(offered),
            "later_url": f"{request.path}?from={later_day.isoformat()}"
            if later_day <= today + datetime.timedelta(weeks=MAX_WEEKS_AHEAD)
            else None,
            "earlier_url": (
                f"{request.path}?from={earlier_day.isoformat()}" if earlier_day > today else request.path
            )
            if start
            else None,
            "error_list": error_items,
            "back_url": back,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- check and confirm --------------------------------------------------------------------------


def _summary(journey: state.Journey) -> list[dict]:
    """The check-answers rows, each with a change link that returns here."""

    def row(key: str, value: str, step: str, hidden: str) -> dict:
        return {
            "key": {"text": key},
            "value": {"text": value},
            "actions": {
                "items": [
                    {"href": url_for(step) + "?change=1", "text": _("Change"), "visuallyHiddenText": hidden}
                ]
            },
        }

    rows = [{"key": {"text": _("Problem")}, "value": {"text": journey["outcome_summary"]}}]
    if journey.is_communal:
        area = (
            CommunalArea.objects.select_related("block", "estate")
            .filter(pk=journey["communal_area_id"])
            .first()
        )
        rows.append(
            row(
                _("Where"), f"{area.name}, {area.block or area.estate}" if area else "", "address", _("where")
            )
        )
        home = Property.objects.filter(pk=journey["home_id"]).first() if journey["home_id"] else None
        rows.append(
            row(
                _("Your address"),
                home.one_line_address if home else _("Somewhere else"),
                "your_home",
                _("your address"),
            )
        )
    else:
        home = Property.objects.filter(pk=journey["property_id"]).first()
        rows.append(row(_("Address"), home.one_line_address if home else "", "address", _("address")))
    photos = draft_photos(journey["draft_key"]).count()
    rows.append(row(_("Description"), journey["description"], "description", _("description")))
    if "household" in steps(journey):
        at_risk = journey.get("household_at_risk")
        rows.append(
            row(
                _("Health condition or very young"),
                _("Yes") if at_risk else _("No"),
                "household",
                _("whether anyone in your home has a health condition or is very young"),
            )
        )
    rows += [
        row(
            _("Photos"),
            ngettext("%(count)s photo", "%(count)s photos", photos) % {"count": photos}
            if photos
            else _("None"),
            "photos",
            _("photos"),
        ),
    ]
    if not journey.is_communal:
        rows.append(
            row(
                _("Getting in"), journey["access_notes"] or _("Nothing to add"), "access", _("access details")
            )
        )
    rows.append(row(_("Name"), journey["contact_name"], "contact", _("name")))
    rows.append(
        row(
            _("Phone"),
            journey_forms.readable_phone(journey["contact_phone"] or "") or _("Not given"),
            "contact",
            _("phone"),
        )
    )
    preference = journey["update_preference"]
    updates = {
        "email": _("By email to %(email)s") % {"email": journey["contact_email"]},
        "sms": _("By text message to %(phone)s")
        % {"phone": journey_forms.readable_phone(journey["update_phone"] or "")},
        "none": _("No updates"),
    }.get(preference, "")
    rows.append(row(_("Updates"), updates, "updates", _("how you get updates")))
    if not journey.is_communal:
        when = (
            journey["slot_text"]
            if journey["plan"] == "slots"
            else booking.message_in_language(journey["plan_message"] or "")
        )
        rows.append(row(_("Appointment"), when, "appointment", _("appointment")))
    return rows


@journey_step("check")
@require_http_methods(["GET", "POST"])
def report_check(request: HttpRequest, journey: state.Journey) -> HttpResponse:
    if request.method == "POST":
        token = request.POST.get("submission", "")
        if not token or token != journey["submission"]:
            return redirect("repairs:report_check")
        limit, window = settings.REPORT_RATE_LIMIT, settings.REPORT_RATE_WINDOW
        staff_for_caller = assisted.agent(request.session) is not None  # one contact centre, many callers
        if not staff_for_caller and over_limit(request, scope="report", limit=limit, window=window):
            response = TemplateResponse(
                request, "repairs/journey/too_many_reports.html", {"title": _("Too many repairs")}, status=429
            )
            response["Retry-After"] = str(window)
            return response
        try:
            report_id = submit(journey, token=token)
        except booking.SlotUnavailable as error:
            journey.update(slot_key=None, slot_text=None, slot_taken=error.message)
            return redirect("repairs:report_appointment")
        except AlreadySubmitting:
            return redirect("repairs:report_check")
        except ValidationError as error:
            return render(
                request,
                "check.html",
                {
                    "title": _("Check your answers before reporting your repair"),
                    "rows": _summary(journey),
                    "submission": journey["submission"],
                    "error_list": [{"text": m, "href": "#main-content"} for m in error.messages],
                },
            )
        state.finish(request.session, report_id)
        return redirect("repairs:report_confirmation")
    if not journey["submission"]:
        from secrets import token_urlsafe

        journey.update(submission=token_urlsafe(16))
    return render(
        request,
        "check.html",
        {
            "title": _("Check your answers before reporting your repair"),
            "rows": _summary(journey),
            "submission": journey["submission"],
            "back_url": back_url(journey, "check", request),
        },
    )


@never_cache
def report_confirmation(request: HttpRequest) -> HttpResponse:
    report_id = state.confirmed_report_id(request.session)
    report = Report.objects.select_related("job").filter(pk=report_id).first() if report_id else None
    if report is None:
        # A retried final submit whose first try finished: the session may still hold the journey.
        return redirect("repairs:report_expired")
    from .status import what_happens_next

    return TemplateResponse(
        request,
        "repairs/journey/confirmation.html",
        {
            "title": _("Repair reported"),
            "report": report,
            "next": what_happens_next(report.job, report=report),
            "status_url": reverse("repairs:status", args=[report.status_token]),
        },
    )
