"""A subject-access export: everything held about one resident, found by email or phone, as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from repairs.personal_data import export_resident


class Command(BaseCommand):
    help = "Write what is held about one resident (by --email or --phone) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--email", default="")
        parser.add_argument("--phone", default="")
        parser.add_argument("--output", help="File to write; standard output when left out.")

    def handle(self, *args, email: str = "", phone: str = "", output: str | None = None, **options):
        if not email and not phone:
            raise CommandError("Give --email or --phone (or both).")
        data = export_resident(email=email, phone=phone)
        text = json.dumps(data, indent=2, ensure_ascii=False)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(
                f"Wrote {len(data['reports'])} reports and {len(data['messages'])} messages to {output}."
            )
        else:
            self.stdout.write(text)
