"""Repairs in the Wagtail admin: reference data as snippets, jobs and reports read-only for now.

Trades, priorities (and their targets), SoR codes and work teams are snippets, so page editors get
choosers for them in diagnosis outcomes. Jobs and reports are listed and inspected here but never
edited: their state moves only through the lifecycle, and the back office is where staff act on them.
"""

from __future__ import annotations

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Job, Priority, Report, SorCode, Trade, WorkTeam


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Viewing follows the model's permissions; adding, changing and deleting are refused to everyone."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)


# Registered before the viewsets are built, as Wagtail 8 requires; exact_class keeps proxies out.
register_permission_policy(Job, ReadOnlyPermissionPolicy(Job), exact_class=True)
register_permission_policy(Report, ReadOnlyPermissionPolicy(Report), exact_class=True)


# --- Reference data --------------------------------------------------------------------------------


class TradeViewSet(SnippetViewSet):
    model = Trade
    icon = "cogs"
    list_display = ["name", "code", BooleanColumn("is_active", label="Active")]
    list_filter = ["is_active"]
    search_fields = ["name", "code"]
    search_backend_name = None
    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("code")]), FieldPanel("is_active")]


class PriorityViewSet(SnippetViewSet):
    model = Priority
    icon = "time"
    list_display = [
        "name",
        "code",
        "target_value",
        "target_unit",
        BooleanColumn("is_emergency", label="Emergency"),
    ]
    search_fields = ["name", "code"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("code")]),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("target_value"), FieldPanel("target_unit")])],
            heading="Target",
            help_text="Working days skip weekends, bank holidays and the council's closure days; "
            "hours run round the clock.",
        ),
        FieldRowPanel([FieldPanel("is_emergency"), FieldPanel("sort_order")]),
    ]


class SorCodeViewSet(SnippetViewSet):
    model = SorCode
    icon = "list-ul"
    menu_label = "SoR codes"
    list_display = ["code", "description", "trade", "size", "standard_minutes", "unit_cost"]
    list_filter = ["trade", "size", "is_active"]
    list_export = ["code", "description", "trade.code", "size", "standard_minutes", "unit_cost", "is_active"]
    export_headings = {"trade.code": "trade", "is_active": "active"}
    export_filename = "sor-codes"
    search_fields = ["code", "description"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("code"), FieldPanel("trade")]),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("size"), FieldPanel("standard_minutes"), FieldPanel("unit_cost")]),
        FieldPanel("is_active"),
    ]

    def get_queryset(self, request):
        return SorCode.objects.select_related("trade")


class WorkTeamViewSet(SnippetViewSet):
    model = WorkTeam
    icon = "group"
    list_display = ["name", "kind", BooleanColumn("is_active", label="Active")]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]
    search_backend_name = None
    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("kind")]),
        FieldPanel("trades"),
        FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
        FieldPanel("is_active"),
    ]


class ImportMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return admin_views.may_import_sor_codes(request.user)


class RepairsSetupGroup(SnippetViewSetGroup):
    menu_label = "Repairs set-up"
    menu_icon = "cogs"
    menu_order = 260
    items = (TradeViewSet, PriorityViewSet, SorCodeViewSet, WorkTeamViewSet)

    def get_submenu_items(self):
        items = super().get_submenu_items()
        items.append(
            ImportMenuItem(
                "Import SoR codes",
                reverse("repairs_sor_import"),
                name="import-sor-codes",
                icon_name="upload",
                order=len(items) + 1,
            )
        )
        return items


# --- Jobs and reports, read-only -------------------------------------------------------------------


class JobIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("trade", "priority", "property", "communal_area")


class JobInspectView(InspectView):
    """The job's fields, then its history from the event log (kept by the lifecycle)."""

    template_name = "repairs/admin/job_inspect.html"
    labels = {"sor_code": "SoR code", "due_at": "Due", "created_at": "Reported"}

    def get_field_label(self, field_name, field):
        return self.labels.get(field_name) or super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field):
        """An empty field reads "Not set", never Python's "None"."""
        value = super().get_field_display_value(field_name, field)
        return "Not set" if value is None or value == "" else value

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["events"] = self.object.events.select_related("actor").order_by("occurred_at", "id")
        context["reports"] = self.object.reports.order_by("created_at", "id")
        return context


class JobViewSet(ModelViewSet):
    model = Job
    icon = "clipboard-list"
    index_view_class = JobIndexView
    inspect_view_class = JobInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["id", "trade", "location", "priority", "state", "due_at", "created_at"]
    list_filter = ["state", "trade", "priority", "channel"]
    search_fields = ["description"]
    search_backend_name = None
    inspect_view_fields = [
        "state",
        "property",
        "communal_area",
        "trade",
        "priority",
        "size",
        "sor_code",
        "description",
        "due_at",
        "assignee",
        "channel",
        "estimated_cost",
        "actual_cost",
        "merged_into",
        "created_at",
    ]
    form_fields = []


class ReportIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("job")


class ReportViewSet(ModelViewSet):
    model = Report
    icon = "mail"
    index_view_class = ReportIndexView
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = ["reference", "job", "channel", "update_preference", "created_at"]
    list_filter = ["channel", "update_preference"]
    search_fields = ["reference"]
    search_backend_name = None
    inspect_view_fields_exclude = ["status_token"]
    form_fields = []


class RepairsGroup(ModelViewSetGroup):
    menu_label = "Repairs"
    menu_icon = "clipboard-list"
    menu_order = 240
    items = (
        JobViewSet("repair_jobs", url_prefix="repairs/jobs"),
        ReportViewSet("repair_reports", url_prefix="repairs/reports"),
    )


register_snippet(RepairsSetupGroup)


@hooks.register("register_admin_viewset")
def register_repairs_admin():
    return RepairsGroup()


@hooks.register("register_admin_urls")
def register_sor_import_url():
    return [path("repairs/sor-import/", admin_views.SorImportView.as_view(), name="repairs_sor_import")]
