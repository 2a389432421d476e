"""Admin screens of the back office: staff in their work teams, and the audit trail.

The audit trail (backoffice/history.py) is read-only in the admin: a version can be found (by who, what
kind of change, when, and the record's own words) and inspected, never added, edited or deleted here.
Anyone who may view a model's history sees it: superusers, or groups given "Can view historical ...".
"""

from django.contrib.auth.models import Group, User
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from repairs.models import Job, Priority, SorCode, Trade, WorkTeam
from scheduling.models import RoutingRule

from .models import StaffProfile


class StaffProfileViewSet(ModelViewSet):
    model = StaffProfile
    icon = "group"
    menu_label = "Staff teams"
    add_to_admin_menu = True
    form_fields = ["user", "team"]
    list_display = ["user", "team"]
    list_filter = ["team"]


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Viewing follows the model's "view" permission; nothing may be added, changed or deleted."""

    def user_has_permission(self, user, action):
        return action not in ("add", "change", "delete") and super().user_has_permission(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action)


def audit_viewset(model, label: str, name: str, search: list[str]) -> ModelViewSet:
    history = model.history.model
    register_permission_policy(history, ReadOnlyPolicy(history), exact_class=True)
    return type(
        f"{model.__name__}AuditViewSet",
        (ModelViewSet,),
        {
            "model": history,
            "icon": "history",
            "menu_label": label,
            "list_display": ["history_date", "__str__", "history_type", "history_user"],
            "list_filter": ["history_type", "history_date"],
            "search_fields": ["history_user__username", "history_user__last_name", *search],
            "search_backend_name": None,  # the database's own search: history tables are not indexed
            "inspect_view_enabled": True,
            "copy_view_enabled": False,
            "form_fields": ["history_change_reason"],  # never shown: the policy refuses add and edit
            "list_per_page": 50,
            "ordering": ["-history_date", "-history_id"],
        },
    )(f"audit_{name}")


class AuditTrailGroup(ModelViewSetGroup):
    menu_label = "Audit trail"
    menu_icon = "history"
    menu_order = 900

    def __init__(self) -> None:
        self.items = [
            audit_viewset(Job, "Jobs", "jobs", ["description"]),
            audit_viewset(User, "Users", "users", ["username", "email", "last_name"]),
            audit_viewset(Group, "Groups and permissions", "groups", ["name"]),
            audit_viewset(StaffProfile, "Staff teams", "staff_teams", []),
            audit_viewset(Trade, "Trades", "trades", ["name", "code"]),
            audit_viewset(Priority, "Priorities", "priorities", ["name", "code"]),
            audit_viewset(SorCode, "SoR codes", "sor_codes", ["code", "description"]),
            audit_viewset(WorkTeam, "Work teams", "work_teams", ["name"]),
            audit_viewset(RoutingRule, "Routing rules", "routing_rules", []),
        ]
        super().__init__()


@hooks.register("register_admin_viewset")
def register_staff_profiles():
    return StaffProfileViewSet("staff_teams")


@hooks.register("register_admin_viewset")
def register_audit_trail():
    return AuditTrailGroup()
