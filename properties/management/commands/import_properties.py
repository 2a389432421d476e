"""Import the council's property list from the housing management system's CSV extract."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from properties.csv_upload import CsvUploadError, open_upload
from properties.importing import ImportResult, import_properties


class Command(BaseCommand):
    help = (
        "Import homes from a CSV file (see docs/property-import.md). Every row is checked first; "
        "nothing is saved while any row is bad. Use --dry-run to check without saving."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The CSV file exported from the housing system.")
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; save nothing.")

    def handle(self, *args, file: Path, dry_run: bool, **options) -> None:
        try:
            binary = file.open("rb")
        except FileNotFoundError as error:
            raise CommandError(f"There is no file at {file}.") from error
        with binary:
            try:
                text = open_upload(binary)
            except CsvUploadError as error:
                raise CommandError(str(error)) from error
            # Streamed: a national-scale extract is never held in memory whole.
            result = import_properties(text, dry_run=dry_run, progress=self.show_progress)
        self.report(result)
        if not result.ok:
            count = len(result.errors)
            raise CommandError(f"{count:,} problem{'s' if count != 1 else ''} found; nothing was imported.")

    def show_progress(self, stage: str, done: int, total: int) -> None:
        if done and (total >= 5000 or done == total):
            self.stdout.write(f"  {stage} {done:,} / {total:,} rows")

    def report(self, result: ImportResult) -> None:
        for error in result.errors:
            self.stderr.write(f"Line {error.line}: {error.message}")
        if not result.ok:
            return
        verb = "would be" if result.dry_run else "were"
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.total_rows:,} rows checked: {result.created:,} "
                f"home{'' if result.created == 1 else 's'} {verb} created, "
                f"{result.updated:,} {verb} updated, {result.unchanged:,} unchanged."
            )
        )
        if result.dry_run:
            self.stdout.write("Dry run: nothing was saved. Run again without --dry-run to import.")
