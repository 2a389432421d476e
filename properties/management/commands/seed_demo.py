"""Load the fictional demo council into the property register (safe to run again: it adds what is missing)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from properties.demo import seed_demo_council
from properties.models import Property


class Command(BaseCommand):
    help = (
        "Create the fictional demo council's estates, blocks, homes, tenancies, alerts and asbestos records."
    )

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        summary = seed_demo_council()
        seconds = time.perf_counter() - started
        made = ", ".join(f"{count:,} {name}" for name, count in summary.created.items())
        self.stdout.write(f"Demo property register ready in {seconds:.1f} s. Created: {made}.")
        self.stdout.write(f"The register holds {Property.objects.count():,} homes.")
        self.stdout.write("Postcodes to try (fictional AA area):")
        examples = list(summary.postcodes.items())
        for postcode, description in examples[:4] + examples[11:15]:
            self.stdout.write(f"  {postcode}  {description}")
