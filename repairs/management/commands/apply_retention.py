"""Remove residents' contact details and photos from jobs that ended more than the retention period ago.

Beat runs the same each night (repairs.tasks.apply_retention); this command is for a first run or a check.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from repairs.personal_data import apply_retention, reports_due_for_removal, retention_days


class Command(BaseCommand):
    help = "Remove personal data from reports on jobs that ended over PERSONAL_DATA_RETENTION_DAYS ago."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be removed; change nothing."
        )

    def handle(self, *args, dry_run: bool = False, **options):
        if dry_run:
            count = reports_due_for_removal().count()
            self.stdout.write(
                f"{count} reports would lose their personal data (retention {retention_days()} days)."
            )
            return
        removal = apply_retention()
        self.stdout.write(
            self.style.SUCCESS(
                f"Removed personal data from {removal.reports} reports, {removal.photos} photos and "
                f"{removal.messages} messages (retention {retention_days()} days)."
            )
        )
