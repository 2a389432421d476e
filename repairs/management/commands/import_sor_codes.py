"""manage.py import_sor_codes FILE [--dry-run]: load or update the council's SoR codes from CSV."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from repairs.sor_import import CsvUploadError, decode_upload, import_sor_codes


class Command(BaseCommand):
    help = "Import Schedule of Rates codes from a CSV file (matched on code; a re-import updates)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="Check the file and report; save nothing.")

    def handle(self, *args, file: Path, dry_run: bool, **options) -> None:
        try:
            text = decode_upload(file.read_bytes())
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}") from error
        except CsvUploadError as error:
            raise CommandError(str(error)) from error
        result = import_sor_codes(text, dry_run=dry_run)
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} problem(s) in {file.name}; nothing was imported.")
        self.stdout.write(self.style.SUCCESS(result.summary()))
