"""Import the council's property list (the housing management system's CSV extract).

Hand-written rather than built on django-import-export: that library saves row by row (a full
extract of 50,000 homes means hundreds of thousands of queries) and reports problems by its own row
index rather than by the line a person sees in their spreadsheet.

The file is streamed, so memory stays flat whatever its size (a national-scale register is over a
million homes). Each row is checked on its own as it is read and staged, in batches, in a temporary
table; the checks across rows (a reference or UPRN twice in the file, a UPRN that belongs to another
home) and the comparison with the register are then set-based queries on that table. Only a clean file
is written, with set-based UPDATE ... FROM and INSERT ... SELECT in one transaction: a real run
imports nothing while any row is bad.

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
from typing import Any, TextIO

from django.db import connection, transaction
from django.utils import timezone

from .addresses import natural_sort_key
from .models import Block, Property, Tenure
from .postcodes import InvalidPostcode, normalise_postcode, postcode_key

REQUIRED_COLUMNS = ("property_ref", "uprn", "address_line_1", "postcode")
OPTIONAL_COLUMNS = ("address_line_2", "address_line_3", "town", "tenure", "council_repairs", "block_ref")
ALL_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
BATCH_SIZE = 2000
PROGRESS_EVERY = 1000
APPLY_LINES = 250_000

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

STAGING_TABLE = "property_import_staging"
STAGED_COLUMNS = (
    "line",
    "property_ref",
    "uprn",
    "address_line_1",
    "address_line_2",
    "address_line_3",
    "town",
    "postcode",
    "postcode_key",
    "sort_key",
    "tenure",
    "council_repairs",
    "block_id",
)
# What a new home gets for a column the file does not have.
DEFAULTS = {
    "address_line_2": "",
    "address_line_3": "",
    "town": "",
    "tenure": Tenure.SECURE.value,
    "council_repairs": True,
    "block_id": None,
}
# Problems found across rows sort after a row's own problems on the same line.
OWN, REPEATED_REF, UPRN_CLASH = 0, 1, 2


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


def import_properties(
    source: str | TextIO, *, dry_run: bool, progress: Progress | None = None
) -> ImportResult:
    """Check every row of the CSV (text, or a seekable text stream) and, unless it is a dry run or any
    row is bad, write them all."""
    progress = progress or _no_progress
    result = ImportResult(dry_run=dry_run)
    lines = _line_reader(source)
    header_errors, columns = _read_header(lines())
    if header_errors:
        result.errors = header_errors
        return result
    total = _count_rows(lines())
    with _Staging(columns) as staging:
        found: list[tuple[int, int, str]] = []
        result.total_rows = _stage_rows(lines(), columns, staging, found, total, progress)
        if not result.total_rows and not found:
            result.errors = [RowError(2, "The file has a header but no homes.")]
            return result
        staging.index()
        found.extend(staging.repeated_and_clashing())
        if found:
            found.sort(key=lambda error: (error[0], error[1]))
            result.errors = [RowError(line, message) for line, _, message in found]
            return result
        staging.complete_sort_keys()
        result.created, result.unchanged = staging.counts()
        result.updated = result.total_rows - result.created - result.unchanged
        if not dry_run:
            with transaction.atomic():
                staging.apply(progress, result.created + result.updated)
    return result


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


def _line_reader(source: str | TextIO) -> Callable[[], Iterator[str]]:
    """Something that yields the file's lines from the start each time it is called."""
    if isinstance(source, str):
        return lambda: _lines_of(source)

    def from_the_start() -> Iterator[str]:
        source.seek(0)
        return iter(source)

    return from_the_start


def _lines_of(text: str) -> Iterator[str]:
    """The lines of a text one by one, without copying the whole text as io.StringIO would."""
    start = 0
    while start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        yield text[start:end]
        start = end


def _normalise_header(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())


def _read_header(lines: Iterator[str]) -> tuple[list[RowError], list[str]]:
    try:
        header = next(csv.reader(lines))
    except StopIteration:
        return [RowError(1, "The file is empty: the first line must name the columns.")], []
    except csv.Error as error:
        return [RowError(1, f"The header line cannot be read as CSV ({error}).")], []
    columns = [_normalise_header(name) for name in header]
    return _check_header(columns), columns


def _rows(lines: Iterator[str]) -> Iterator[tuple[int, list[str] | csv.Error]]:
    """(line number, values) for each non-blank row after the header; unreadable CSV ends it with
    (line number, the csv.Error)."""
    reader = csv.reader(lines)
    next(reader, None)
    line = reader.line_num
    try:
        for values in reader:
            start = line + 1
            line = reader.line_num
            if any(value.strip() for value in values):
                yield start, values
    except csv.Error as error:
        yield line + 1, error


def _count_rows(lines: Iterator[str]) -> int:
    """How many rows there are, for progress; a first quick pass that keeps nothing."""
    return sum(1 for _ in _rows(lines))


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


def _stage_rows(
    lines: Iterator[str],
    columns: list[str],
    staging: _Staging,
    found: list[tuple[int, int, str]],
    total: int,
    progress: Progress,
) -> int:
    """Check each row on its own and stage it; return the number of rows. Problems go into found."""
    blocks = dict(Block.objects.values_list("code", "pk")) if "block_ref" in columns else {}
    width = len(columns)
    done = 0
    for line, values in _rows(lines):
        if isinstance(values, csv.Error):
            found.append((line, OWN, f"This line cannot be read as CSV ({values})."))
            break
        done += 1
        if done % PROGRESS_EVERY == 0:
            progress("checking", done, max(total, done))
        if len(values) != width:
            found.append(
                (line, OWN, f"This line has {len(values)} values but the header has {width} columns.")
            )
            continue
        row = {name: value.strip() for name, value in zip(columns, values, strict=True)}
        cleaned, problems = _clean_row(row, blocks)
        if problems:
            found.extend((line, OWN, problem) for problem in problems)
            staging.add(line, row["property_ref"], cleaned.get("uprn"), None)
        else:
            staging.add(line, row["property_ref"], cleaned["uprn"], cleaned)
    staging.flush()
    if done % PROGRESS_EVERY:
        progress("checking", done, done)
    return done


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


class _Staging:
    """The checked rows of one import in a temporary table of this database connection.

    A temporary table is private to the connection, so two imports at once never see each other's
    rows, and the database drops it if the process dies. PostgreSQL loads it with COPY; SQLite with
    executemany in a short transaction per batch.
    """

    def __init__(self, columns: list[str]) -> None:
        self.present = [name for name in COLUMN_FIELDS if name in columns]
        self.fields = [COLUMN_FIELDS[name] for name in self.present]
        self.compared = [*self.fields, *DERIVED_FIELDS]
        self.all_lines_present = all(name in columns for name in ADDRESS_LINES)
        self.pending: list[tuple[Any, ...]] = []
        self.postgres = connection.vendor == "postgresql"
        self.same = "IS NOT DISTINCT FROM" if self.postgres else "IS"
        self.table = connection.ops.quote_name(Property._meta.db_table)

    def __enter__(self) -> _Staging:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {STAGING_TABLE} ("
                "line integer PRIMARY KEY, property_ref varchar(255) NOT NULL, uprn bigint, "
                "address_line_1 varchar(255), address_line_2 varchar(255), address_line_3 varchar(255), "
                "town varchar(255), postcode varchar(8), postcode_key varchar(7), sort_key varchar(255), "
                "tenure varchar(20), council_repairs boolean, block_id bigint)"
            )
        return self

    def __exit__(self, *exc_info) -> None:
        if connection.needs_rollback:
            return  # the connection's transaction is broken; the table goes with the connection
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")

    def add(self, line: int, ref: str, uprn: int | None, cleaned: dict[str, Any] | None) -> None:
        """Stage one row; a row with problems keeps only what the checks across rows need."""
        if cleaned is None:
            self.pending.append((line, ref, uprn, *[None] * (len(STAGED_COLUMNS) - 3)))
        else:
            values = {**DEFAULTS, **cleaned}
            lines = [values["address_line_1"], values["address_line_2"], values["address_line_3"]]
            self.pending.append(
                (
                    line,
                    ref,
                    values["uprn"],
                    *lines,
                    values["town"],
                    values["postcode"],
                    postcode_key(values["postcode"]),
                    natural_sort_key(*lines),
                    values["tenure"],
                    values["council_repairs"],
                    values["block_id"],
                )
            )
        if len(self.pending) >= BATCH_SIZE:
            self.flush()

    def flush(self) -> None:
        if not self.pending:
            return
        with transaction.atomic(), connection.cursor() as cursor:
            if self.postgres:
                with cursor.copy(f"COPY {STAGING_TABLE} ({', '.join(STAGED_COLUMNS)}) FROM STDIN") as copy:
                    for row in self.pending:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(STAGED_COLUMNS))
                cursor.executemany(f"INSERT INTO {STAGING_TABLE} VALUES ({marks})", self.pending)
        self.pending = []

    def index(self) -> None:
        """Index the staged rows once they are all in (faster than keeping indexes up while loading)."""
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE INDEX {STAGING_TABLE}_ref ON {STAGING_TABLE} (property_ref, line)")
            cursor.execute(f"CREATE INDEX {STAGING_TABLE}_uprn ON {STAGING_TABLE} (uprn, line)")
            cursor.execute(f"ANALYZE {STAGING_TABLE}")

    def repeated_and_clashing(self) -> list[tuple[int, int, str]]:
        """Problems across rows: a reference or UPRN already on an earlier line, or a UPRN of another home."""
        found: list[tuple[int, int, str]] = []
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT s.line, s.property_ref, f.first FROM {STAGING_TABLE} s JOIN ("
                f"SELECT property_ref, MIN(line) AS first FROM {STAGING_TABLE} WHERE property_ref <> '' "
                "GROUP BY property_ref HAVING COUNT(*) > 1) f ON f.property_ref = s.property_ref "
                "WHERE s.line > f.first"
            )
            found += [
                (line, REPEATED_REF, f"Property reference {ref} is also on line {first}.")
                for line, ref, first in cursor.fetchall()
            ]
            cursor.execute(
                f"SELECT s.line, s.uprn, f.first FROM {STAGING_TABLE} s JOIN ("
                f"SELECT uprn, MIN(line) AS first FROM {STAGING_TABLE} WHERE uprn IS NOT NULL "
                "GROUP BY uprn HAVING COUNT(*) > 1) f ON f.uprn = s.uprn WHERE s.line > f.first"
            )
            found += [
                (line, UPRN_CLASH, f"UPRN {uprn} is also on line {first}.")
                for line, uprn, first in cursor.fetchall()
            ]
            cursor.execute(
                f"SELECT s.line, s.uprn, p.property_ref FROM {STAGING_TABLE} s "
                f"JOIN {self.table} p ON p.uprn = s.uprn WHERE p.property_ref <> s.property_ref "
                f"AND NOT EXISTS (SELECT 1 FROM {STAGING_TABLE} t WHERE t.uprn = s.uprn AND t.line < s.line)"
            )
            found += [
                (line, UPRN_CLASH, f"UPRN {uprn} already belongs to property {owner} in the register.")
                for line, uprn, owner in cursor.fetchall()
            ]
        return found

    def complete_sort_keys(self) -> None:
        """Rebuild the sort key of known homes from their stored address lines when the file lacks some.

        Read in pages by line, so memory stays flat on a large file.
        """
        if self.all_lines_present:
            return
        after = 0
        staged = [f"s.{name}" if name in self.present else "NULL" for name in ADDRESS_LINES]
        with connection.cursor() as cursor:
            while True:
                cursor.execute(
                    f"SELECT s.line, {', '.join(staged)}, p.address_line_1, p.address_line_2, "
                    f"p.address_line_3 FROM {STAGING_TABLE} s JOIN {self.table} p "
                    "ON p.property_ref = s.property_ref WHERE s.line > %s ORDER BY s.line LIMIT %s",
                    [after, BATCH_SIZE],
                )
                page = cursor.fetchall()
                if not page:
                    return
                keys = []
                for line, *lines in page:
                    chosen = [
                        mine if mine is not None else theirs
                        for mine, theirs in zip(lines[:3], lines[3:], strict=True)
                    ]
                    keys.append((natural_sort_key(*chosen), line))
                with transaction.atomic():
                    cursor.executemany(f"UPDATE {STAGING_TABLE} SET sort_key = %s WHERE line = %s", keys)
                after = page[-1][0]

    def _unchanged(self) -> str:
        return " AND ".join(f"p.{name} {self.same} s.{name}" for name in self.compared)

    def counts(self) -> tuple[int, int]:
        """How many rows would create a home, and how many match their home exactly."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(*) FROM {STAGING_TABLE} s WHERE NOT EXISTS "
                f"(SELECT 1 FROM {self.table} p WHERE p.property_ref = s.property_ref)"
            )
            created = cursor.fetchone()[0]
            cursor.execute(
                f"SELECT COUNT(*) FROM {STAGING_TABLE} s JOIN {self.table} p "
                f"ON p.property_ref = s.property_ref WHERE {self._unchanged()}"
            )
            unchanged = cursor.fetchone()[0]
        return created, unchanged

    def apply(self, progress: Progress, total: int) -> None:
        """Update changed homes, then create new ones, a range of lines at a time so progress moves."""
        now = timezone.now()
        assignments = ", ".join(f"{name} = s.{name}" for name in self.compared)
        unchanged = self._unchanged().replace("p.", f"{self.table}.")
        update = (
            f"UPDATE {self.table} SET {assignments}, updated_at = %s FROM {STAGING_TABLE} s "
            f"WHERE {self.table}.property_ref = s.property_ref AND s.line > %s AND s.line <= %s "
            f"AND NOT ({unchanged})"
        )
        inserted = [name for name in STAGED_COLUMNS if name != "line"]
        insert = (
            f"INSERT INTO {self.table} ({', '.join(inserted)}, is_active, updated_at) "
            f"SELECT {', '.join(f's.{name}' for name in inserted)}, %s, %s FROM {STAGING_TABLE} s "
            f"WHERE s.line > %s AND s.line <= %s AND NOT EXISTS "
            f"(SELECT 1 FROM {self.table} p WHERE p.property_ref = s.property_ref) ORDER BY s.line"
        )
        done = 0
        progress("saving", done, total)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT MAX(line) FROM {STAGING_TABLE}")
            last = cursor.fetchone()[0] or 0
            for statement, extra in ((update, [now]), (insert, [True, now])):
                for start in range(0, last, APPLY_LINES):
                    cursor.execute(statement, [*extra, start, start + APPLY_LINES])
                    done += max(cursor.rowcount, 0)
                    progress("saving", min(done, total), total)


def write_csv(out: TextIO, rows: Iterable[dict[str, Any]], columns: Iterable[str] = ALL_COLUMNS) -> None:
    """Write rows in the import format to a text stream, one at a time (the benchmark's big files)."""
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow(row)


def rows_to_csv(rows: Iterable[dict[str, Any]], columns: Iterable[str] = ALL_COLUMNS) -> str:
    """Write rows in the import format; the demo seed and tests build files with it."""
    out = io.StringIO()
    write_csv(out, rows, columns)
    return out.getvalue()
