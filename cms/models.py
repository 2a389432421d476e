"""Page types editors use to build the diagnosis tree, outcomes and self-help guides.

A diagnosis is a chain of QuestionPages whose answers each point at the next question or at an
OutcomePage. The pointers are real foreign keys with PROTECT, so a page an answer leads to cannot be
deleted from under it, and `cms.tree_check` can walk the graph.
"""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
    TitleFieldPanel,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, TranslatableMixin

from cms.blocks import PROSE_FEATURES, GuideStreamBlock
from cms.page_cache import CachedForEveryVisitor, mark_cacheable
from repairs.models import JobSize

QUESTION_TARGET_TYPES = ["cms.QuestionPage", "cms.OutcomePage"]


@register_setting(icon="mobile-alt")
class ContactSettings(BaseSiteSetting):
    """The council's name, phone numbers and opening hours shown in the header, outcomes and footer."""

    council_name = models.CharField(max_length=100, default="Anytown Council")
    service_name = models.CharField(max_length=100, default="Housing repairs")

    repairs_phone = models.CharField(
        "repairs phone number",
        max_length=30,
        default="020 7946 0000",
        help_text="For residents reporting a repair.",
    )
    repairs_hours = models.CharField(
        "repairs line opening hours", max_length=200, default="Monday to Friday, 8am to 6pm"
    )
    emergency_phone = models.CharField(
        "emergency phone number",
        max_length=30,
        default="020 7946 0999",
        help_text="For emergencies such as flooding or no power. Shown prominently.",
    )
    emergency_hours = models.CharField(
        "emergency line opening hours", max_length=200, default="24 hours a day, 7 days a week"
    )
    gas_emergency_phone = models.CharField(
        "gas emergency number",
        max_length=30,
        default="0800 111 999",
        help_text="The National Gas Emergency Service number for residents who smell gas.",
    )
    # The Welsh pages' words for the same things (docs/welsh.md); blank shows the English.
    council_name_cy = models.CharField(
        "council name in Welsh", max_length=100, blank=True, default="Cyngor Anytown"
    )
    service_name_cy = models.CharField(
        "service name in Welsh", max_length=100, blank=True, default="Atgyweirio tai"
    )
    repairs_hours_cy = models.CharField(
        "repairs line opening hours in Welsh",
        max_length=200,
        blank=True,
        default="Dydd Llun i ddydd Gwener, 8yb i 6yp",
    )
    emergency_hours_cy = models.CharField(
        "emergency line opening hours in Welsh",
        max_length=200,
        blank=True,
        default="24 awr y dydd, 7 diwrnod yr wythnos",
    )

    panels = [
        MultiFieldPanel([FieldPanel("council_name"), FieldPanel("service_name")], heading="Names"),
        MultiFieldPanel(
            [FieldPanel("repairs_phone"), FieldPanel("repairs_hours")], heading="Reporting repairs"
        ),
        MultiFieldPanel(
            [FieldPanel("emergency_phone"), FieldPanel("emergency_hours"), FieldPanel("gas_emergency_phone")],
            heading="Emergencies",
        ),
        MultiFieldPanel(
            [
                FieldPanel("council_name_cy"),
                FieldPanel("service_name_cy"),
                FieldPanel("repairs_hours_cy"),
                FieldPanel("emergency_hours_cy"),
            ],
            heading="Welsh (Cymraeg)",
        ),
    ]

    WELSH_FIELDS = ("council_name", "service_name", "repairs_hours", "emergency_hours")

    @property
    def localized(self) -> ContactSettings:
        """These settings in the language of the page being shown: a copy for reading, never saved."""
        from django.utils.translation import get_language

        if get_language() != "cy":
            return self
        welsh = copy.copy(self)
        for name in self.WELSH_FIELDS:
            setattr(welsh, name, getattr(self, f"{name}_cy") or getattr(self, name))
        return welsh

    class Meta:
        verbose_name = "service name, phone numbers and opening hours"


class HomePage(CachedForEveryVisitor, Page):
    intro = RichTextField(features=PROSE_FEATURES, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.DiagnosisStartPage", "cms.SelfHelpPage", "cms.EmergencyAdvicePage"]

    class Meta:
        verbose_name = "home page"

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        children = self.get_children().live().public().specific()
        context["diagnosis_starts"] = [p for p in children if isinstance(p, DiagnosisStartPage)]
        context["guides"] = [p for p in children if isinstance(p, SelfHelpPage)]
        context["emergency_pages"] = [p for p in children if isinstance(p, EmergencyAdvicePage)]
        return context


class DiagnosisStartPage(CachedForEveryVisitor, Page):
    """The front door of a diagnosis: what the service is for, when to call instead, and Start now."""

    intro = RichTextField(features=PROSE_FEATURES, blank=True)
    emergency_warning = models.CharField(
        max_length=255,
        blank=True,
        default="If you smell gas, have a flood, no power or anything unsafe, do not report it online: "
        "call us now.",
    )
    first_question = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        help_text="The question residents see first.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("emergency_warning"),
        PageChooserPanel("first_question", page_type="cms.QuestionPage"),
    ]
    parent_page_types = ["cms.HomePage"]
    subpage_types = QUESTION_TARGET_TYPES

    class Meta:
        verbose_name = "diagnosis start page"


class QuestionPage(CachedForEveryVisitor, Page):
    """One question per page: the title is the question, shown as the h1 inside the legend."""

    hint = models.CharField(max_length=255, blank=True, help_text="Optional help shown under the question.")
    error_message = models.CharField(
        max_length=255,
        blank=True,
        help_text="Shown if nothing is chosen. Leave blank for 'Select where the problem is' style wording "
        "built from the question.",
    )

    content_panels = [
        TitleFieldPanel(
            "title", heading="Question", help_text="Ask one thing, for example: Where is the leak?"
        ),
        FieldPanel("hint"),
        InlinePanel("answers", heading="Answers", label="Answer", min_num=2),
        FieldPanel("error_message"),
    ]
    parent_page_types = ["cms.DiagnosisStartPage", "cms.QuestionPage"]
    subpage_types = QUESTION_TARGET_TYPES

    class Meta:
        verbose_name = "question"

    def missing_answer_message(self) -> str:
        return self.error_message or "Select an answer"

    def serve(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        from cms.views import serve_question

        return mark_cacheable(self, request, serve_question(self, request))

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        """Editors preview exactly what residents get (the view records nothing for a preview)."""
        request.is_preview = True
        return self.serve(request)


class Answer(TranslatableMixin, Orderable):
    """One answer to a question. Translatable (wagtail-localize copies the answers with their page and
    translates the labels); `next_page` stays the English page and is localised when followed."""

    question = ParentalKey(QuestionPage, on_delete=models.CASCADE, related_name="answers")
    label = models.CharField(max_length=255)
    hint = models.CharField(max_length=255, blank=True)
    next_page = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The question asked next, or the outcome this answer leads to.",
    )

    panels = [
        FieldPanel("label"),
        FieldPanel("hint"),
        PageChooserPanel("next_page", page_type=QUESTION_TARGET_TYPES),
    ]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return self.label


class OutcomeType(models.TextChoices):
    BOOKABLE = "bookable", "Bookable repair"
    EMERGENCY = "emergency", "Emergency: call us now"
    CONTACT_US = "contact_us", "Contact us"
    NOT_OUR_RESPONSIBILITY = "not_ours", "Not our responsibility"
    SELF_HELP = "self_help", "Self-help only"


class EmergencyLine(models.TextChoices):
    COUNCIL = "council", "Our emergency repairs line"
    GAS = "gas", "National Gas Emergency Service"


class RepairLocation(models.TextChoices):
    IN_HOME = "in_home", gettext_lazy("In the home")
    COMMUNAL = "communal", gettext_lazy("Communal area")


class OutcomePage(RoutablePageMixin, Page):
    """Where a diagnosis ends: the next step for the resident, and for a bookable repair what the job is."""

    outcome_type = models.CharField(max_length=20, choices=OutcomeType.choices, default=OutcomeType.BOOKABLE)
    location = models.CharField(max_length=20, choices=RepairLocation.choices, default=RepairLocation.IN_HOME)
    summary = models.CharField(
        max_length=255,
        help_text="What was diagnosed, in the resident's words, for example: "
        "'A leaking pipe under the kitchen sink'.",
    )
    body = RichTextField(features=PROSE_FEATURES, blank=True, help_text="What happens next, or advice.")
    emergency_line = models.CharField(
        max_length=10,
        choices=EmergencyLine.choices,
        default=EmergencyLine.COUNCIL,
        help_text="For emergencies, the number shown first: gas leaks go to the gas emergency line.",
    )
    trade = models.ForeignKey(
        "repairs.Trade", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    job_size = models.CharField(max_length=1, choices=JobSize.choices, blank=True)
    priority = models.ForeignKey(
        "repairs.Priority", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sor_code = models.ForeignKey(
        "repairs.SorCode",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="SoR code",
    )
    self_help_page = models.ForeignKey(
        "cms.SelfHelpPage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The guide residents can follow themselves (self-help outcomes).",
    )
    hazard_kind = models.ForeignKey(
        "workflows.HazardKind",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Awaab's Law: a report reaching this outcome opens a hazard case of this kind, with its "
        "statutory clocks from the moment of the report.",
    )
    asks_about_household = models.BooleanField(
        "ask about the household",
        default=False,
        help_text="Ask whether anyone in the home is very young or has a health condition; a yes puts the "
        "hazard case up for emergency review.",
    )

    content_panels = [
        TitleFieldPanel("title", heading="Heading"),
        FieldPanel("outcome_type"),
        FieldPanel("emergency_line"),
        FieldPanel("summary"),
        FieldPanel("body"),
        PageChooserPanel("self_help_page", page_type="cms.SelfHelpPage"),
        MultiFieldPanel(
            [
                HelpPanel("Needed for bookable repairs: they decide who does the job and how quickly."),
                FieldPanel("location"),
                FieldPanel("trade"),
                FieldPanel("job_size"),
                FieldPanel("priority"),
                FieldPanel("sor_code"),
            ],
            heading="The repair",
        ),
        MultiFieldPanel(
            [FieldPanel("hazard_kind"), FieldPanel("asks_about_household")],
            heading="Hazard (Awaab's Law)",
        ),
    ]
    parent_page_types = ["cms.DiagnosisStartPage", "cms.QuestionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "outcome"

    def diagnosis_start(self) -> DiagnosisStartPage | None:
        return DiagnosisStartPage.objects.ancestor_of(self).live().first()

    def emergency_phone(self, contact: ContactSettings) -> str:
        return (
            contact.gas_emergency_phone
            if self.emergency_line == EmergencyLine.GAS
            else contact.emergency_phone
        )

    @property
    def is_bookable(self) -> bool:
        return self.outcome_type == OutcomeType.BOOKABLE

    @property
    def is_emergency(self) -> bool:
        return self.outcome_type == OutcomeType.EMERGENCY

    def missing_repair_details(self) -> list[str]:
        """Which of trade, size and priority a bookable outcome still lacks (empty when complete)."""
        if not self.is_bookable:
            return []
        missing = []
        if not self.trade_id:
            missing.append("trade")
        if not self.job_size:
            missing.append("job size")
        if not self.priority_id:
            missing.append("priority")
        return missing

    def clean(self) -> None:
        super().clean()
        missing = self.missing_repair_details()
        if missing:
            raise ValidationError(f"A bookable repair needs a {', '.join(missing)} so it can be booked.")
        if self.outcome_type == OutcomeType.SELF_HELP and not self.self_help_page_id:
            raise ValidationError({"self_help_page": "Choose the guide residents should follow."})

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        from cms.views import serve_outcome

        request.is_preview = True
        return serve_outcome(self, request)

    @path("")
    def outcome(self, request: HttpRequest) -> HttpResponse:
        from cms.views import serve_outcome

        return serve_outcome(self, request)

    @path("report/")
    def report(self, request: HttpRequest) -> HttpResponse:
        from cms.views import serve_report_by_phone

        return serve_report_by_phone(self, request)


class SelfHelpPage(CachedForEveryVisitor, Page):
    intro = models.CharField(
        max_length=255, blank=True, help_text="One sentence saying what this guide helps with."
    )
    body = StreamField(GuideStreamBlock())

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "self-help guide"


class EmergencyAdvicePage(CachedForEveryVisitor, Page):
    """What to do in an emergency, with the emergency numbers from the site settings."""

    intro = models.CharField(max_length=255, blank=True)
    body = StreamField(GuideStreamBlock(), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = "emergency advice page"
