"""The scheduled exports in the Wagtail admin: when each ran, what it wrote, and why one failed."""

from __future__ import annotations

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import ExportRun


class ReadOnlyPermissionPolicy(ModelPermissionPolicy):
    """Runs are written by the export task only."""

    def user_has_permission(self, user, action):
        if action in {"add", "change", "delete"}:
            return False
        return super().user_has_permission(user, action)


register_permission_policy(ExportRun, ReadOnlyPermissionPolicy(ExportRun), exact_class=True)


class ExportRunViewSet(ModelViewSet):
    model = ExportRun
    icon = "download"
    menu_label = "Scheduled exports"
    add_to_admin_menu = True
    menu_order = 900
    list_display = ["started_at", "status", "rows", "finished_at", "changed_since"]
    list_filter = ["status"]
    inspect_view_enabled = True
    inspect_view_fields = ["started_at", "finished_at", "status", "changed_since", "rows", "files", "message"]
    form_fields = ["status"]  # never editable: the read-only policy refuses changes


@hooks.register("register_admin_viewset")
def register_export_runs():
    return ExportRunViewSet("reports_export_runs")
