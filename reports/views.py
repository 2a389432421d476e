"""The reports page and its downloads, for managers in the back office.

Contractors never see it: the figures cover every team's jobs. Staff need the
`reports.view_service_reports` permission (Repairs managers and Administrators have it).
"""

from __future__ import annotations

import tempfile

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from backoffice.access import is_contractor, staff_required

from . import page
from .exports import EXPORTS, csv_lines, rows, write_xlsx
from .models import ExportRun
from .scope import Scope, ScopeForm

FORMATS = {"csv", "xlsx"}


def _may_see_reports(request: HttpRequest) -> None:
    if is_contractor(request.user) or not request.user.has_perm("reports.view_service_reports"):
        raise PermissionDenied("The reports are for repairs managers.")


@staff_required
def reports_page(request: HttpRequest) -> HttpResponse:
    _may_see_reports(request)
    form = ScopeForm(request.GET or None)
    valid = not form.is_bound or form.is_valid()
    context = {"form": form, "nav": "reports", "selected": form.selected(), "last_export": _last_run()}
    if valid:
        scope = form.scope()
        query = request.GET.urlencode()
        context |= page.build(scope) | {
            "scope": scope,
            "downloads": [
                (export, {fmt: _download_url(name, fmt, query) for fmt in sorted(FORMATS)})
                for name, export in EXPORTS.items()
            ],
        }
    return render(request, "reports/page.html", context, status=200 if valid else 400)


@staff_required
def download(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    """One export for the page's period and filters, streamed (CSV) or spooled to disk (XLSX)."""
    _may_see_reports(request)
    export = EXPORTS.get(name)
    if export is None or fmt not in FORMATS:
        raise Http404("There is no such export.")
    form = ScopeForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            "Check the dates and filters on the reports page, then download again.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    scope: Scope = form.scope()
    where = scope.within(export.period_path) & scope.jobs_q(export.job_path)
    filename = f"{scope.file_stem(export.name, export.version)}.{fmt}"
    if fmt == "csv":
        lines = csv_lines(rows(export, where))
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    else:
        spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it once sent)
        write_xlsx(rows(export, where), spool, title=export.title)
        spool.seek(0)
        response = FileResponse(
            spool, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _download_url(name: str, fmt: str, query: str) -> str:
    url = reverse("reports:download", kwargs={"name": name, "fmt": fmt})
    return f"{url}?{query}" if query else url


def _last_run() -> ExportRun | None:
    return ExportRun.objects.order_by("-started_at", "-id").first()
