"""Erasure on request: remove one resident's contact details, words and photos from every report they
made. Jobs and their history stay, with the reports' references."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from repairs.personal_data import erase_resident, reports_of_resident


class Command(BaseCommand):
    help = "Remove one resident's personal data (by --email or --phone) from every report they made."

    def add_arguments(self, parser):
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument(
            "--yes", action="store_true", help="Erase; without it the reports are listed only."
        )

    def handle(self, *args, email: str = "", phone: str = "", yes: bool = False, **options):
        if not email and not phone:
            raise CommandError("Give --email or --phone (or both).")
        if not yes:
            references = [report.reference for report in reports_of_resident(email=email, phone=phone)]
            self.stdout.write(
                f"{len(references)} reports would be erased: {', '.join(references) or 'none'}."
            )
            self.stdout.write("Run again with --yes to erase them.")
            return
        removal = erase_resident(email=email, phone=phone)
        self.stdout.write(
            self.style.SUCCESS(
                f"Erased {removal.reports} reports ({', '.join(removal.references) or 'none'}), "
                f"{removal.photos} photos and {removal.messages} messages."
            )
        )
