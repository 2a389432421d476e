"""The lifecycle in the Wagtail admin: the council's closure days (which due dates skip), and the
transition permissions offered on the group editor, so council IT can change what each role may do."""

from __future__ import annotations

from django.contrib.auth.models import Permission
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import TRANSITION_PERMISSIONS, ClosureDay


class ClosureDayViewSet(SnippetViewSet):
    model = ClosureDay
    icon = "date"
    menu_label = "Closure days"
    add_to_admin_menu = True
    menu_order = 270
    list_display = ["date", "reason"]
    search_fields = ["reason"]
    search_backend_name = None
    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("reason")])]


register_snippet(ClosureDayViewSet)


@hooks.register("register_permissions")
def transition_permissions():
    codenames = [codename for codename, _ in TRANSITION_PERMISSIONS]
    return Permission.objects.filter(content_type__app_label="workflows", codename__in=codenames)
