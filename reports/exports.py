"""Jobs, reports and costs as CSV or XLSX, with fixed columns, for finance and the HMS.

Why not django-import-export (installed, used by the admin): its exports build the whole table in
memory (tablib) before writing, and a million jobs would not fit. Here rows come from
`values_list(...).iterator(chunk_size=...)` (no model objects, one server-side cursor on PostgreSQL),
CSV is written line by line into the response, and XLSX goes through openpyxl's write-only mode,
which keeps rows on disk, not in memory. Memory stays the same at 100,000 rows and at 1,000,000.

The columns of each export are fixed and versioned (`VERSION`, in the file name): a column is never
renamed, moved or removed within a version, so a council's import into its HMS keeps working.
docs/reports.md lists every column. Text that a spreadsheet would run as a formula (starting with
=, +, -, @, a tab or a carriage return) is written with a leading apostrophe, as django-import-export
does when IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is on.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from repairs.models import Job, Report

from .figures import ESTATE_NAME
from .scope import LONDON

CHUNK = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    path: str  # a values_list lookup


@dataclass(frozen=True)
class Export:
    name: str
    version: int
    columns: tuple[Column, ...]
    records: Callable[[Q], QuerySet]  # the rows this export may hold, narrowed by `where`
    job_path: str  # how the page's job filters reach this export's rows
    period_path: str  # the date-time a downloaded period picks rows by
    changed_since: Callable[[datetime.datetime], Q]  # rows the scheduled export sends again

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def title(self) -> str:
        return f"{self.name} v{self.version}"

    def queryset(self, where: Q) -> QuerySet:
        return self.records(where).order_by("pk").values_list(*(c.path for c in self.columns))


JOB_COLUMNS = (
    Column("job_id", "pk"),
    Column("state", "state"),
    Column("kind", "kind"),
    Column("follows_job_id", "follows_id"),
    Column("merged_into_job_id", "merged_into_id"),
    Column("trade_code", "trade__code"),
    Column("priority_code", "priority__code"),
    Column("size", "size"),
    Column("sor_code", "sor_code__code"),
    Column("channel", "channel"),
    Column("property_ref", "property__property_ref"),
    Column("uprn", "property__uprn"),
    Column("communal_area_id", "communal_area_id"),
    Column("communal_area_name", "communal_area__name"),
    Column("assignee", "assignee__name"),
    Column("reported_at", "created_at"),
    Column("due_at", "due_at"),
    Column("completed_at", "completed_at"),
    Column("closed_at", "closed_at"),
    Column("estimated_cost", "estimated_cost"),
    Column("actual_cost", "actual_cost"),
    Column("updated_at", "updated_at"),
)

REPORT_COLUMNS = (
    Column("report_reference", "reference"),
    Column("job_id", "job_id"),
    Column("channel", "channel"),
    Column("reported_at", "created_at"),
    Column("withdrawn_at", "withdrawn_at"),
    Column("reporter_property_ref", "reporter_property__property_ref"),
    Column("job_state", "job__state"),
    Column("job_trade_code", "job__trade__code"),
)

COST_COLUMNS = (
    Column("job_id", "pk"),
    Column("property_ref", "property__property_ref"),
    Column("uprn", "property__uprn"),
    Column("communal_area_id", "communal_area_id"),
    Column("estate_name", "estate_name"),
    Column("trade_code", "trade__code"),
    Column("sor_code", "sor_code__code"),
    Column("sor_unit_cost", "sor_code__unit_cost"),
    Column("estimated_cost", "estimated_cost"),
    Column("actual_cost", "actual_cost"),
    Column("completed_at", "completed_at"),
    Column("closed_at", "closed_at"),
)

EXPORTS = {
    "jobs": Export(
        "jobs",
        1,
        JOB_COLUMNS,
        records=lambda where: Job.objects.filter(where),
        job_path="",
        period_path="created_at",
        changed_since=lambda since: Q(updated_at__gte=since),
    ),
    "reports": Export(
        "reports",
        1,
        REPORT_COLUMNS,
        records=lambda where: Report.objects.filter(where),
        job_path="job__",
        period_path="created_at",
        changed_since=lambda since: Q(created_at__gte=since) | Q(withdrawn_at__gte=since),
    ),
    "costs": Export(
        "costs",
        1,
        COST_COLUMNS,
        records=lambda where: Job.objects.filter(where, completed_at__isnull=False).annotate(
            estate_name=ESTATE_NAME
        ),
        job_path="",
        period_path="completed_at",
        changed_since=lambda since: Q(updated_at__gte=since),
    ),
}


def cell(value) -> str | int | Decimal:
    """One value as written: times in London ISO 8601, numbers as numbers, text escaped."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value, LONDON).isoformat(timespec="seconds")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, Decimal)):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and getattr(settings, "IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT", True):
        return "'" + text
    return text


def rows(export: Export, where: Q) -> Iterator[list]:
    """The header, then one row per record, read from the database in chunks."""
    yield export.headers
    for values in export.queryset(where).iterator(chunk_size=CHUNK):
        yield [cell(v) for v in values]


class _Line:
    """A file-like that hands back what csv.writer wrote, so each row can be yielded as it is made."""

    def write(self, text: str) -> str:
        return text


def csv_lines(records: Iterable[list]) -> Iterator[bytes]:
    writer = csv.writer(_Line())
    yield "\ufeff".encode()  # so Excel opens the UTF-8 file with the right characters
    for record in records:
        yield writer.writerow(record).encode()


def write_csv(records: Iterable[list], file: IO[bytes]) -> int:
    lines = 0
    for line in csv_lines(records):
        file.write(line)
        lines += 1
    return max(0, lines - 2)  # less the BOM and the header


def write_xlsx(records: Iterable[list], file: IO[bytes], *, title: str) -> int:
    """Write the rows as one sheet of a workbook in write-only mode; return the number of data rows."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    written = 0
    for record in records:
        sheet.append(record)
        written += 1
    workbook.save(file)
    return max(0, written - 1)  # less the header
