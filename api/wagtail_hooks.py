"""API keys in the Wagtail admin (Settings > API keys): make, scope, expire and revoke partner keys.

The secret is shown once, in the message after the key is made; only its digest is kept.
"""

from __future__ import annotations

from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import CreateView
from wagtail.admin.viewsets.model import ModelViewSet

from .forms import ApiKeyForm
from .models import ApiKey


class CreateApiKeyView(CreateView):
    def get_success_message(self, instance: ApiKey) -> str:
        return format_html(
            "API key '{}' made. Copy it now, it will not be shown again: <code>{}</code>",
            instance.name,
            getattr(instance, "new_secret", ""),
        )


class ApiKeyViewSet(ModelViewSet):
    model = ApiKey
    icon = "key"
    menu_label = "API keys"
    add_to_settings_menu = True
    add_view_class = CreateApiKeyView
    list_display = [
        "name",
        Column("prefix", label="Starts with"),
        Column("scopes", label="Scopes"),
        "expires_at",
        "revoked_at",
        "last_used_at",
    ]
    search_fields = ["name", "prefix"]
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("scopes"),
            FieldRowPanel([FieldPanel("rate_limit_per_minute"), FieldPanel("expires_at")]),
            FieldPanel("revoked"),
        ],
        base_form_class=ApiKeyForm,
    )


@hooks.register("register_admin_viewset")
def register_api_keys():
    return ApiKeyViewSet("api_keys")
