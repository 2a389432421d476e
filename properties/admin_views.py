"""Wagtail admin views for importing the property list: upload and check, confirm, follow progress."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .forms import PropertyImportForm
from .models import ImportRun, ImportRunStatus
from .services import check_import_upload, live_progress, queue_import_run

IMPORT_PERMISSION = "properties.add_property"
ERRORS_SHOWN = 1000


def may_import(user) -> bool:
    return user.has_perm(IMPORT_PERMISSION)


class ImportPermissionMixin:
    """Only people who may add homes may import them."""

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_import(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ImportBreadcrumbsMixin(WagtailAdminTemplateMixin):
    header_icon = "upload"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("properties_import:upload"), "label": "Import properties"},
        ]


class PropertyImportView(ImportPermissionMixin, ImportBreadcrumbsMixin, FormView):
    page_title = "Import properties"
    template_name = "properties/admin/import_upload.html"
    form_class = PropertyImportForm

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_runs"] = ImportRun.objects.defer("content", "errors").select_related("created_by")[
            :10
        ]
        return context

    def form_valid(self, form: PropertyImportForm) -> HttpResponse:
        run = check_import_upload(
            file_name=self.request.FILES["file"].name, text=form.cleaned_data["file"], by=self.request.user
        )
        return redirect("properties_import:run", pk=run.pk)


class ImportRunView(ImportPermissionMixin, ImportBreadcrumbsMixin, TemplateView):
    """The report of one upload: its errors by line, what it would change, or how far the import has got."""

    template_name = "properties/admin/import_run.html"

    def get(self, request: HttpRequest, *args, pk: int, **kwargs) -> HttpResponse:
        self.run = get_object_or_404(ImportRun.objects.defer("content").select_related("created_by"), pk=pk)
        return super().get(request, *args, **kwargs)

    def get_page_title(self) -> str:
        return f"Import of {self.run.file_name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        errors = self.run.errors or []
        context.update(
            run=self.run,
            statuses=ImportRunStatus,
            errors=errors[:ERRORS_SHOWN],
            errors_not_shown=max(0, len(errors) - ERRORS_SHOWN),
            error_rows=len({error["line"] for error in errors}),
            progress=live_progress(self.run) if self.run.is_in_progress else None,
        )
        return context


class ConfirmImportRunView(ImportPermissionMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        run = get_object_or_404(ImportRun.objects.only("pk", "status"), pk=pk)
        if queue_import_run(run=run):
            messages.success(request, "The import has started. This page shows how far it has got.")
        else:
            messages.warning(request, "This file is not waiting to be imported, so nothing new was started.")
        return redirect("properties_import:run", pk=pk)
