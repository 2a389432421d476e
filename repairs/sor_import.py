"""Import the council's Schedule of Rates codes from CSV (its own list, or composite codes).

The NHF schedule is licensed, so the project ships this importer and fictional samples only. The whole
file is checked first and every problem is reported by the line a person sees in their spreadsheet;
only a clean file is written, in one transaction. Codes are matched on `code`, so importing an updated
list again changes codes in place, and codes missing from the file are left as they are.

Columns: code, description, trade (a trade code such as PL), size (S, M or L), standard_minutes,
unit_cost, and optionally active (yes/no, default yes).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

# The one upload reader every importer shares: it refuses empty, binary and spreadsheet files alike.
from properties.csv_upload import EMPTY_MESSAGE, CsvUploadError, decode_upload

from .models import JobSize, SorCode, Trade

REQUIRED_COLUMNS = ("code", "description", "trade", "size", "standard_minutes", "unit_cost")
OPTIONAL_COLUMNS = ("active",)
FIELDS = ("description", "trade_id", "size", "standard_minutes", "unit_cost", "is_active")
CODE_MAX = SorCode._meta.get_field("code").max_length
DESCRIPTION_MAX = SorCode._meta.get_field("description").max_length
SIZES = {
    **{choice.value.lower(): choice.value for choice in JobSize},
    **{choice.label.lower(): choice.value for choice in JobSize},
}
__all__ = ["EMPTY_MESSAGE", "CsvUploadError", "SorImportResult", "decode_upload", "import_sor_codes"]

YES = {"", "yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.message}"


@dataclass
class SorImportResult:
    dry_run: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        verb = "Would create" if self.dry_run else "Created"
        return f"{verb} {self.created}, {'would update' if self.dry_run else 'updated'} {self.updated}, " + (
            f"{self.unchanged} unchanged."
        )


def import_sor_codes(text: str, *, dry_run: bool = False) -> SorImportResult:
    result = SorImportResult(dry_run=dry_run)
    rows = _checked_rows(text, result)
    if result.errors:
        return result
    existing = {sor.code: sor for sor in SorCode.objects.all()}
    to_create, to_update = [], []
    for values in rows:
        current = existing.get(values["code"])
        if current is None:
            to_create.append(SorCode(**values))
        elif any(getattr(current, name) != values[name] for name in FIELDS):
            for name in FIELDS:
                setattr(current, name, values[name])
            to_update.append(current)
        else:
            result.unchanged += 1
    result.created, result.updated = len(to_create), len(to_update)
    if not dry_run:
        with transaction.atomic():
            SorCode.objects.bulk_create(to_create)
            SorCode.objects.bulk_update(to_update, FIELDS)
    return result


def _checked_rows(text: str, result: SorImportResult) -> list[dict]:
    reader = csv.DictReader(io.StringIO(text))
    headers = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in headers]
    if missing:
        result.errors.append(LineError(1, f"missing column(s): {', '.join(missing)}"))
        return []
    reader.fieldnames = headers
    trades = {trade.code.upper(): trade.pk for trade in Trade.objects.all()}
    seen: dict[str, int] = {}
    rows = []
    while True:
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            result.errors.append(LineError(reader.line_num, f"cannot be read as CSV ({error})"))
            break
        line = reader.line_num
        if not any((value or "").strip() for value in raw.values() if isinstance(value, str)):
            continue
        values, problems = _checked_row(raw, trades)
        code = values.get("code")
        if code and code in seen:
            problems.append(f"code {code} is already on line {seen[code]}")
        elif code:
            seen[code] = line
        result.errors.extend(LineError(line, problem) for problem in problems)
        if not problems:
            rows.append(values)
    if not rows and not result.errors:
        result.errors.append(LineError(2, "the file has no codes in it"))
    return rows


def _checked_row(raw: dict, trades: dict[str, int]) -> tuple[dict, list[str]]:
    def cell(name: str) -> str:
        value = raw.get(name)
        return value.strip() if isinstance(value, str) else ""

    problems: list[str] = []
    values: dict = {}

    code = cell("code")
    if not code:
        problems.append("code is empty")
    elif len(code) > CODE_MAX:
        problems.append(f"code is longer than {CODE_MAX} characters")
    values["code"] = code

    description = cell("description")
    if not description:
        problems.append("description is empty")
    elif len(description) > DESCRIPTION_MAX:
        problems.append(f"description is longer than {DESCRIPTION_MAX} characters")
    values["description"] = description

    trade = cell("trade").upper()
    if trade not in trades:
        known = ", ".join(sorted(trades))
        problems.append(f"trade '{cell('trade')}' is not a trade code (known codes: {known})")
    values["trade_id"] = trades.get(trade)

    size = SIZES.get(cell("size").lower())
    if size is None:
        problems.append(f"size '{cell('size')}' should be S, M or L")
    values["size"] = size

    minutes = cell("standard_minutes")
    if minutes.isdigit() and int(minutes) > 0:
        values["standard_minutes"] = int(minutes)
    else:
        problems.append(f"standard_minutes '{minutes}' should be a whole number of minutes above 0")

    cost_text = cell("unit_cost").replace("£", "").replace(",", "")
    try:
        cost = Decimal(cost_text)
    except InvalidOperation:
        cost = None
    if cost is None or not cost.is_finite() or cost < 0 or cost != cost.quantize(Decimal("0.01")):
        problems.append(f"unit_cost '{cell('unit_cost')}' should be an amount in pounds, like 42.50")
    elif cost >= Decimal("100000000"):
        problems.append(f"unit_cost '{cell('unit_cost')}' is too large")
    else:
        values["unit_cost"] = cost.quantize(Decimal("0.01"))

    active = cell("active").lower()
    if active in YES:
        values["is_active"] = True
    elif active in NO:
        values["is_active"] = False
    else:
        problems.append(f"active '{cell('active')}' should be yes or no")
    return values, problems
