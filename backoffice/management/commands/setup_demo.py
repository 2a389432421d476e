"""Prepare the embedded demo: reference data, demo content, and a staff login printed to the console."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

# Each app that has demo data contributes a command; they run in dependency order.
DEMO_STEPS = ("seed_demo", "load_starter_content", "seed_scheduling_demo", "seed_repairs_demo")


class Command(BaseCommand):
    help = "Load the demo council and print a staff login for the embedded run."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options) -> None:
        available = get_commands()
        for step in DEMO_STEPS:
            if step in available:
                self.stdout.write(f"Running {step}...")
                call_command(step, stdout=self.stdout, stderr=self.stderr)
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.invalid"}
        )
        user.is_staff = True
        user.is_superuser = True
        user.set_password(password)
        user.save()
        self.stdout.write(
            self.style.SUCCESS(
                "\nRepairs Online is ready on http://127.0.0.1:8000\n"
                f"  Staff login:  http://127.0.0.1:8000/admin/  username: {username}  password: {password}\n"
            )
        )
