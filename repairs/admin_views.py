"""Wagtail admin view for uploading the council's SoR codes: check the file, then import it."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.generic import FormView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .sor_import import EMPTY_MESSAGE, CsvUploadError, decode_upload, import_sor_codes

IMPORT_PERMISSIONS = ("repairs.add_sorcode", "repairs.change_sorcode")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def may_import_sor_codes(user) -> bool:
    return user.has_perms(IMPORT_PERMISSIONS)


class SorImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Saved from a spreadsheet as CSV.",
        error_messages={"empty": EMPTY_MESSAGE},
    )
    dry_run = forms.BooleanField(
        label="Only check the file",
        required=False,
        initial=True,
        help_text="Untick to import once it is clean.",
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB; is it the right file?")
        try:
            return decode_upload(upload.read())
        except CsvUploadError as error:
            raise forms.ValidationError(str(error)) from error


class SorImportView(WagtailAdminTemplateMixin, FormView):
    page_title = "Import SoR codes"
    header_icon = "upload"
    template_name = "repairs/admin/sor_import.html"
    form_class = SorImportForm

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_import_sor_codes(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse("repairs_sor_import"), "label": self.page_title}]

    def form_valid(self, form: SorImportForm) -> HttpResponse:
        result = import_sor_codes(form.cleaned_data["file"], dry_run=form.cleaned_data["dry_run"])
        return self.render_to_response(self.get_context_data(form=form, result=result))
