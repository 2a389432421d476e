"""Lifecycle settings in the Wagtail admin: the council's closure days, which due dates skip."""

from __future__ import annotations

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import ClosureDay


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
