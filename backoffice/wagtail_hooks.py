"""The admin screen where managers put staff in their work teams (contractor scoping follows from it)."""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from .models import StaffProfile


class StaffProfileViewSet(ModelViewSet):
    model = StaffProfile
    icon = "group"
    menu_label = "Staff teams"
    add_to_admin_menu = True
    form_fields = ["user", "team"]
    list_display = ["user", "team"]
    list_filter = ["team"]


@hooks.register("register_admin_viewset")
def register_staff_profiles():
    return StaffProfileViewSet("staff_teams")
