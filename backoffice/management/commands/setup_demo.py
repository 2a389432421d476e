"""Prepare the embedded demo: reference data, demo content, and one staff login per role, printed.

In the DEBUG demo every login has a fixed, published password, so the logins printed by one `make run`
still work on the next. Outside DEBUG the command never sets a published password: each run gives each
login a new random one, printed once.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand

from backoffice.models import StaffProfile
from repairs.models import WorkTeam

# Each app that has demo data contributes a command; they run in dependency order.
DEMO_STEPS = ("seed_demo", "load_starter_content", "seed_scheduling_demo", "seed_repairs_demo")
DEMO_CONTRACTOR = "Northside Lifts (demo contractor)"


@dataclass(frozen=True)
class DemoLogin:
    username: str
    name: str
    group: str | None
    may: str

    @property
    def demo_password(self) -> str:
        return f"demo-{self.username}-2026"


DEMO_LOGINS = (
    DemoLogin("manager", "Maya Manager", "Repairs managers", "every job: triage, book, hold, close; reports"),
    DemoLogin("agent", "Ali Agent", "Contact-centre agents", "raise a repair for a caller and book it"),
    DemoLogin(
        "contractor",
        "Cam Contractor",
        "Contractors",
        f"only {DEMO_CONTRACTOR}'s jobs: start, no access, done",
    ),
    DemoLogin("editor", "Eddie Editor", "Content editors", "draft diagnosis and self-help pages"),
    DemoLogin("approver", "Ava Approver", "Content approvers", "approve and publish content pages"),
    DemoLogin("admin", "Demo Administrator", None, "everything, including settings and users"),
)


class Command(BaseCommand):
    help = "Load the demo council and print one staff login per role for the embedded run."

    def handle(self, *args, **options) -> None:
        available = get_commands()
        for step in DEMO_STEPS:
            if step in available:
                self.stdout.write(f"Running {step}...")
                call_command(step, stdout=self.stdout, stderr=self.stderr)
        fixed = settings.DEBUG
        rows = [(login, self.ensure_login(login, fixed=fixed)) for login in DEMO_LOGINS]
        self.stdout.write(self.style.SUCCESS("\nRepairs Online is ready on http://127.0.0.1:8000"))
        self.stdout.write(
            "  Back office: http://127.0.0.1:8000/back-office/   Admin: http://127.0.0.1:8000/admin/"
        )
        if fixed:
            self.stdout.write(
                "  DEMO LOGINS (fixed demo passwords, DEBUG only; never use them on a real install):"
            )
        else:
            self.stdout.write(
                self.style.WARNING(
                    "  DEBUG is off: new random passwords, shown only now (the old ones no longer work):"
                )
            )
        for login, password in rows:
            self.stdout.write(f"    {login.username:<11} {password:<26} {login.may}")
        self.stdout.write("")

    def ensure_login(self, login: DemoLogin, *, fixed: bool) -> str:
        """The login made or brought back to its role; returns the password it now has."""
        first, _, last = login.name.partition(" ")
        user, _ = get_user_model().objects.get_or_create(
            username=login.username, defaults={"email": f"{login.username}@example.invalid"}
        )
        user.first_name, user.last_name = first, last
        user.is_active = user.is_staff = True
        user.is_superuser = login.group is None
        password = login.demo_password if fixed else secrets.token_urlsafe(12)
        user.set_password(password)
        user.save()
        if login.group:
            user.groups.add(Group.objects.get_or_create(name=login.group)[0])
        if login.group == "Contractors":
            team = WorkTeam.objects.filter(name=DEMO_CONTRACTOR).first()
            StaffProfile.objects.update_or_create(user=user, defaults={"team": team})
        return password
