"""Import the council's property list (the housing management system's CSV extract).

Hand-written rather than built on django-import-export: that library saves row by row (a full
extract of 50,000 homes means hundreds of thousands of queries) and reports problems by its own row
index rather than by the line a person sees in their spreadsheet. Here the whole file is checked
against a few preloaded queries, every bad row is reported by line, and only a clean file is written,
in batches, in one transaction: a real run imports nothing while any row is bad.

Rows are matched to homes on ``property_ref``, so importing the same file again updates homes in
place and never duplicates them. Homes missing from the file are left alone (a partial extract must
not switch off the rest of the register). The columns are described in docs/property-import.md.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from .addresses import natural_sort_key
from .models import Block, Property, Tenure
from .postcodes import InvalidPostcode, normalise_postcode, postcode_key

REQUIRED_COLUMNS = ("property_ref", "uprn", "address_line_1", "postcode")
OPTIONAL_COLUMNS = ("address_line_2", "address_line_3", "town", "tenure", "council_repairs", "block_ref")
ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
BATCH_SIZE = 1000
PROGRESS_EVERY = 1000

# Spellings housing management systems use for the same tenure.
TENURE_ALIASES = {
    **{choice.value: choice.value for choice in Tenure},
    **{choice.label.lower(): choice.value for choice in Tenure},
    "sec": Tenure.SECURE,
    "int": Tenure.INTRODUCTORY,
    "intro": Tenure.INTRODUCTORY,
    "temp": Tenure.TEMPORARY,
    "ta": Tenure.TEMPORARY,
    "lea": Tenure.LEASEHOLD,
    "lh": Tenure.LEASEHOLD,
    "leaseholder": Tenure.LEASEHOLD,
    "shared ownership": Tenure.SHARED_OWNERSHIP,
    "so": Tenure.SHARED_OWNERSHIP,
    "empty": Tenure.VOID,
}
YES = {"yes", "y", "true", "t", "1"}
NO = {"no", "n", "false", "f", "0"}
# "100023336956" or, after a spreadsheet has treated it as a number, "100023336956.0".
UPRN_PATTERN = re.compile(r"^(\d+)(?:\.0+)?$")

# Fields a column sets on Property; derived keys are recomputed whenever the address or postcode changes.
COLUMN_FIELDS = {
    "uprn": "uprn",
    "address_line_1": "address_line_1",
    "address_line_2": "address_line_2",
    "address_line_3": "address_line_3",
    "town": "town",
    "postcode": "postcode",
    "tenure": "tenure",
    "council_repairs": "council_repairs",
    "block_ref": "block_id",
}
DERIVED_FIELDS = ("postcode_key", "sort_key")
ADDRESS_LINES = ("address_line_1", "address_line_2", "address_line_3")
MAX_LENGTHS = {
    "property_ref": Property._meta.get_field("property_ref").max_length,
    "address_line_1": Property._meta.get_field("address_line_1").max_length,
    "address_line_2": Property._meta.get_field("address_line_2").max_length,
    "address_line_3": Property._meta.get_field("address_line_3").max_length,
    "town": Property._meta.get_field("town").max_length,
}

Progress = Callable[[str, int, int], None]
"""Called as progress(stage, done, total) with stage "checking" or "saving"."""


class ImportFileError(ValueError):
    """The upload is not a CSV file we can read (empty, binary, a spreadsheet); the message says why."""


@dataclass(frozen=True)
class RowError:
    line: int
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "message": self.message}


@dataclass
class ImportResult:
    """What an import did, or for a dry run what it would do."""

    dry_run: bool
    total_rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def decode_csv(data: bytes) -> str:
    """Turn an uploaded file's bytes into text, or say clearly why it is not a CSV file."""
    if not data or not data.strip():
        raise ImportFileError("The file is empty. Choose the CSV file exported from the housing system.")
    if b"\x00" in data[:4096] or data[:4] == b"PK\x03\x04":
        raise ImportFileError(
            "The file is not a CSV file (it looks like a spreadsheet or other binary file). "
            "Save it as 'CSV UTF-8 (comma delimited)' and upload that."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in the Windows code page.
        return data.decode("cp1252", errors="replace")


def import_properties(text: str, *, dry_run: bool, progress: Progress | None = None) -> ImportResult:
    """Check every row of the CSV text and, unless it is a dry run or any row is bad, write them all."""
    result = ImportResult(dry_run=dry_run)
    header_errors, columns, rows = _read(text)
    if header_errors:
        result.errors = header_errors
        return result
    plan = _check(rows, columns, result, progress or _no_progress)
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        _save(plan, progress or _no_progress)
    return result


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def _normalise_header(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _read(text: str) -> tuple[list[RowError], list[str], list[tuple[int, list[str]]]]:
    """Split the text into a checked header and (line number, values) rows; blank lines are skipped."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return [RowError(1, "The file is empty: the first line must name the columns.")], [], []
    except csv.Error as error:
        return [RowError(1, f"The header line cannot be read as CSV ({error}).")], [], []
    columns = [_normalise_header(name) for name in header]
    errors = _check_header(columns)
    if errors:
        return errors, columns, []
    rows: list[tuple[int, list[str]]] = []
    line = reader.line_num
    try:
        for values in reader:
            start = line + 1
            line = reader.line_num
            if any(value.strip() for value in values):
                rows.append((start, values))
    except csv.Error as error:
        return [RowError(line + 1, f"This line cannot be read as CSV ({error}).")], columns, []
    if not rows:
        return [RowError(2, "The file has a header but no homes.")], columns, []
    return [], columns, rows


def _check_header(columns: list[str]) -> list[RowError]:
    problems = []
    expected = ", ".join(ALL_COLUMNS)
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        problems.append(
            f"The header is missing the required column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(missing)}. The first line must name the columns: {expected}."
        )
    repeated = sorted({name for name in columns if name and columns.count(name) > 1})
    if repeated:
        problems.append(f"The header names {', '.join(repeated)} more than once.")
    unknown = [name or "(blank)" for name in columns if name not in ALL_COLUMNS]
    if unknown:
        problems.append(f"The header has unknown columns {', '.join(unknown)}. The columns are: {expected}.")
    return [RowError(1, problem) for problem in problems]


@dataclass
class _Plan:
    creates: list[Property] = field(default_factory=list)
    updates: list[Property] = field(default_factory=list)
    update_fields: list[str] = field(default_factory=list)


def _check(
    rows: list[tuple[int, list[str]]], columns: list[str], result: ImportResult, progress: Progress
) -> _Plan:
    present = [name for name in COLUMN_FIELDS if name in columns]
    fields = [COLUMN_FIELDS[name] for name in present]
    compared = [*fields, *DERIVED_FIELDS]
    # Address lines are always loaded: the sort key is built from all three even when a column is absent.
    loaded = list(dict.fromkeys([*compared, *ADDRESS_LINES, "postcode"]))
    existing = {
        ref: (pk, dict(zip(loaded, values, strict=True)))
        for pk, ref, *values in Property.objects.values_list("pk", "property_ref", *loaded).iterator(
            chunk_size=5000
        )
    }
    uprn_owner = {values["uprn"]: ref for ref, (_, values) in existing.items() if values["uprn"] is not None}
    blocks = dict(Block.objects.values_list("code", "pk")) if "block_ref" in columns else {}

    plan = _Plan(update_fields=[*compared, "updated_at"])
    now = timezone.now()
    seen_refs: dict[str, int] = {}
    seen_uprns: dict[int, int] = {}
    total = result.total_rows = len(rows)
    width = len(columns)
    for done, (line, values) in enumerate(rows, start=1):
        if done % PROGRESS_EVERY == 0:
            progress("checking", done, total)
        if len(values) != width:
            result.errors.append(
                RowError(line, f"This line has {len(values)} values but the header has {width} columns.")
            )
            continue
        row = {name: value.strip() for name, value in zip(columns, values, strict=True)}
        cleaned, problems = _clean_row(row, blocks)
        ref = row["property_ref"]
        if ref:
            if ref in seen_refs:
                problems.append(f"Property reference {ref} is also on line {seen_refs[ref]}.")
            else:
                seen_refs[ref] = line
        uprn = cleaned.get("uprn")
        if uprn is not None:
            if uprn in seen_uprns:
                problems.append(f"UPRN {uprn} is also on line {seen_uprns[uprn]}.")
            else:
                seen_uprns[uprn] = line
                owner = uprn_owner.get(uprn)
                if owner is not None and owner != ref:
                    problems.append(f"UPRN {uprn} already belongs to property {owner} in the register.")
        if problems:
            result.errors.extend(RowError(line, problem) for problem in problems)
            continue
        if not result.errors:
            _plan_row(plan, ref, cleaned, fields, existing, result, now)
    if total % PROGRESS_EVERY:
        progress("checking", total, total)
    return plan


def _clean_row(row: dict[str, str], blocks: dict[str, int]) -> tuple[dict[str, Any], list[str]]:
    """Turn one row's text into field values; return them with a list of what is wrong, in column order."""
    cleaned: dict[str, Any] = {}
    problems: list[str] = []
    if not row["property_ref"]:
        problems.append("property_ref is empty.")
    for name, limit in MAX_LENGTHS.items():
        if name in row and len(row[name]) > limit:
            problems.append(f"{name} is longer than {limit} characters.")
    uprn_text = row["uprn"]
    if uprn_text:
        match = UPRN_PATTERN.match(uprn_text)
        digits = match.group(1).lstrip("0") if match else ""
        if not match or not digits or len(digits) > 12:
            problems.append(f"UPRN '{uprn_text}' must be a number of 1 to 12 digits.")
        else:
            cleaned["uprn"] = int(digits)
    else:
        cleaned["uprn"] = None
    if not row["address_line_1"]:
        problems.append("address_line_1 is empty.")
    for name in ("address_line_1", "address_line_2", "address_line_3", "town"):
        if name in row:
            cleaned[name] = row[name]
    try:
        cleaned["postcode"] = normalise_postcode(row["postcode"])
    except InvalidPostcode:
        shown = row["postcode"] or "(empty)"
        problems.append(f"Postcode '{shown}' is not a real postcode.")
    if "tenure" in row:
        tenure = TENURE_ALIASES.get(row["tenure"].lower())
        if tenure is None:
            shown = row["tenure"] or "(empty)"
            problems.append(f"Tenure '{shown}' is not one of: {', '.join(Tenure.values)}.")
        cleaned["tenure"] = tenure
    if "council_repairs" in row:
        answer = row["council_repairs"].lower()
        if answer in YES or not answer:
            cleaned["council_repairs"] = True
        elif answer in NO:
            cleaned["council_repairs"] = False
        else:
            problems.append(f"council_repairs '{row['council_repairs']}' must be yes or no.")
    if "block_ref" in row:
        block_ref = row["block_ref"]
        if block_ref and block_ref not in blocks:
            problems.append(f"Block '{block_ref}' is not in the register. Add the block first.")
        cleaned["block_id"] = blocks.get(block_ref) if block_ref else None
    return cleaned, problems


def _plan_row(
    plan: _Plan,
    ref: str,
    cleaned: dict[str, Any],
    fields: list[str],
    existing: dict[str, tuple[int, dict[str, Any]]],
    result: ImportResult,
    now,
) -> None:
    current = existing.get(ref)
    if current is None:
        home = Property(property_ref=ref, **cleaned)
        home.refresh_address_keys()
        plan.creates.append(home)
        result.created += 1
        return
    pk, stored = current
    values = {name: cleaned[name] for name in fields}
    lines = [values.get(name, stored[name]) for name in ADDRESS_LINES]
    values["postcode_key"] = postcode_key(values.get("postcode", stored["postcode"]))
    values["sort_key"] = natural_sort_key(*lines)
    if all(stored[name] == value for name, value in values.items()):
        result.unchanged += 1
        return
    plan.updates.append(Property(pk=pk, property_ref=ref, updated_at=now, **{**stored, **values}))
    result.updated += 1


def _batches(items: list[Property], size: int = BATCH_SIZE) -> Iterator[list[Property]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _save(plan: _Plan, progress: Progress) -> None:
    total = len(plan.creates) + len(plan.updates)
    done = 0
    progress("saving", done, total)
    for batch in _batches(plan.creates):
        Property.objects.bulk_create(batch)
        done += len(batch)
        progress("saving", done, total)
    for batch in _batches(plan.updates):
        _update_rows(batch, plan.update_fields)
        done += len(batch)
        progress("saving", done, total)


def _update_rows(homes: list[Property], field_names: list[str]) -> None:
    """Update homes by primary key with one prepared statement run for the whole batch.

    Django's bulk_update builds a CASE expression per field with a branch per row, which the database
    evaluates row by row: on 50,000 changed homes that took minutes. A plain UPDATE ... WHERE id = %s
    sent with executemany (pipelined by psycopg 3, a prepared loop in SQLite) takes seconds.
    """
    fields = [Property._meta.get_field(name) for name in field_names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    table, key = quote(Property._meta.db_table), quote(Property._meta.pk.column)
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"
    params = [
        [field.get_db_prep_save(getattr(home, field.attname), connection) for field in fields] + [home.pk]
        for home in homes
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def rows_to_csv(rows: Iterable[dict[str, Any]], columns: Iterable[str] = ALL_COLUMNS) -> str:
    """Write rows in the import format; the demo seed, tests and the benchmark build files with it."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
