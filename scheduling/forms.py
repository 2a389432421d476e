"""Admin form for scheduler connections: secrets never shown back; a blank secret keeps the old one."""

from __future__ import annotations

from django import forms
from wagtail.admin.forms import WagtailAdminModelForm

SECRET_FIELDS = ("password", "client_secret", "inbound_secret")


class SchedulerConnectionForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in SECRET_FIELDS:
            field = self.fields.get(name)
            if field is None:
                continue
            field.widget = forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})
            if self.instance.pk and getattr(self.instance, name):
                field.help_text = "Set. Leave empty to keep it, or type a new one to replace it."

    def _keep_if_blank(self, name: str) -> str:
        value = self.cleaned_data.get(name, "")
        return value or (getattr(self.instance, name) if self.instance.pk else "")

    def clean_password(self) -> str:
        return self._keep_if_blank("password")

    def clean_client_secret(self) -> str:
        return self._keep_if_blank("client_secret")

    def clean_inbound_secret(self) -> str:
        return self._keep_if_blank("inbound_secret")
