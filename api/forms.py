"""The admin form for API keys: the secret is made on save and never edited; revoking is a tick box."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from wagtail.admin.forms import WagtailAdminModelForm

from .keys import fill_new_secret
from .models import ApiKey, Scope


class ApiKeyForm(WagtailAdminModelForm):
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices, widget=forms.CheckboxSelectMultiple, help_text="What the key may do."
    )
    revoked = forms.BooleanField(
        required=False,
        label="Revoked",
        help_text="A revoked key stops working at once and cannot be brought back: make a new one instead.",
    )

    class Meta:
        model = ApiKey
        fields = ["name", "scopes", "rate_limit_per_minute", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields.pop("revoked", None)
        elif self.instance.revoked_at is not None:
            self.fields["revoked"].initial = True
            self.fields["revoked"].disabled = True

    def save(self, commit: bool = True) -> ApiKey:
        key = super().save(commit=False)
        if key.pk is None:
            key.new_secret = fill_new_secret(key)
        if self.cleaned_data.get("revoked") and key.revoked_at is None:
            key.revoked_at = timezone.now()
        if commit:
            key.save()
        return key
