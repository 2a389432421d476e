"""The public diagnosis: one question per page, answers posted and redirected (PRG), no JavaScript needed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from wagtail.models import Page

from cms import diagnosis, page_cache
from cms.models import ContactSettings

if TYPE_CHECKING:
    from cms.models import Answer, OutcomePage, QuestionPage

FIELD_NAME = "answer"
# The resident journey (repairs app) takes over "Report this repair" once it names this URL.
RESIDENT_REPORT_URL_NAME = "repairs:report_start"


class AnswerForm(forms.Form):
    answer = forms.TypedChoiceField(coerce=int)

    def __init__(self, *args, question: QuestionPage, answers: list[Answer], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        field = self.fields[FIELD_NAME]
        field.choices = [(a.pk, a.label) for a in answers]
        message = question.missing_answer_message()
        field.error_messages = {"required": message, "invalid_choice": message}


def _back_url(request: HttpRequest, page: Page) -> str:
    previous_id = diagnosis.previous_page_id(request.session, page.pk)
    if previous_id is not None:
        previous = Page.objects.live().filter(pk=previous_id).first()
        if previous is not None:
            return previous.get_url(request)
    parent = page.get_parent()
    return parent.get_url(request) if parent else "/"


def _radios_params(form: AnswerForm, question: QuestionPage, answers: list[Answer]) -> dict:
    """Options for templates/govuk/components/radios.html, named as GOV.UK Frontend names them."""
    chosen = form.data.get(FIELD_NAME) if form.is_bound else None
    params: dict = {
        "name": FIELD_NAME,
        "idPrefix": FIELD_NAME,
        "value": str(chosen) if chosen else None,
        "fieldset": {
            "legend": {"text": question.title, "isPageHeading": True, "classes": "govuk-fieldset__legend--l"}
        },
        "items": [
            {
                "value": str(answer.pk),
                "text": answer.label,
                "hint": {"text": answer.hint} if answer.hint else None,
            }
            for answer in answers
        ],
    }
    if question.hint:
        params["hint"] = {"text": question.hint}
    if form.is_bound and form.errors.get(FIELD_NAME):
        params["errorMessage"] = {"text": form.errors[FIELD_NAME][0]}
    return params


def serve_question(question: QuestionPage, request: HttpRequest) -> HttpResponse:
    answers = list(question.answers.all())
    if request.method == "POST" and not getattr(request, "is_preview", False):
        form = AnswerForm(request.POST, question=question, answers=answers)
        if form.is_valid():
            answer = question.answers.select_related("next_page").get(pk=form.cleaned_data[FIELD_NAME])
            diagnosis.record_answer(
                request.session,
                diagnosis.Step(
                    page_id=question.pk,
                    revision_id=question.live_revision_id,
                    question=question.title,
                    answer_id=answer.pk,
                    answer=answer.label,
                ),
            )
            # Answers keep pointing at the English pages; a Welsh question leads to the Welsh one.
            return HttpResponseRedirect(answer.next_page.localized.get_url(request))
    else:
        form = AnswerForm(question=question, answers=answers)
    context = question.get_context(request)
    context.update(
        form=form,
        radios=_radios_params(form, question, answers),
        # A render for the page cache leaves the resident's own back link to be filled in per request.
        back_url=page_cache.BACK_URL_PLACEHOLDER
        if page_cache.is_filling(request)
        else _back_url(request, question),
        error_list=[{"text": e, "href": f"#{FIELD_NAME}"} for e in form.errors.get(FIELD_NAME, [])],
    )
    status = 400 if form.is_bound and form.errors else 200
    return TemplateResponse(request, question.get_template(request), context, status=status)


def report_repair_url(outcome: OutcomePage, request: HttpRequest) -> str:
    """The resident journey's form when it exists; until then, an honest page about reporting by phone."""
    try:
        return reverse(RESIDENT_REPORT_URL_NAME)
    except NoReverseMatch:
        return outcome.get_url(request) + "report/"


def serve_outcome(outcome: OutcomePage, request: HttpRequest) -> HttpResponse:
    if not getattr(request, "is_preview", False):
        diagnosis.record_outcome(
            request.session,
            diagnosis.Outcome(
                page_id=outcome.pk,
                revision_id=outcome.live_revision_id,
                outcome_type=outcome.outcome_type,
                summary=outcome.summary,
            ),
        )
    context = outcome.get_context(request)
    context.update(
        back_url=_back_url(request, outcome),
        report_url=report_repair_url(outcome, request),
        emergency_phone=outcome.emergency_phone(ContactSettings.for_request(request)),
    )
    return TemplateResponse(request, outcome.get_template(request), context)


def serve_report_by_phone(outcome: OutcomePage, request: HttpRequest) -> HttpResponse:
    if not outcome.is_bookable:  # an emergency or a self-help outcome is never reported from here
        raise Http404("Only a repair we would fix can be reported.")
    context = outcome.get_context(request)
    context.update(back_url=outcome.get_url(request), answered=diagnosis.answered_path(request.session))
    return TemplateResponse(request, "cms/outcome_page_report.html", context)
