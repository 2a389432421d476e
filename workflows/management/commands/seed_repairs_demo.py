"""manage.py seed_repairs_demo: sample SoR codes, work teams, and a handful of demo jobs and reports.

It lives in `workflows` rather than `repairs` because it walks demo jobs through the lifecycle, and
`workflows` is the app allowed to know both. Every demo job is made the way a real one is, through the
services (`report_repair`, `transition_job`, `scheduling.booking.book_appointment`), so each state has
what it implies: a scheduled or finished job has its appointment, a job on hold has a public reason,
a communal job has its reporters' own homes, and the public timeline reads as a resident's would.
The scheduling demo (teams, operatives, routing) is loaded first, since booking needs it.

Safe to run again: codes and teams are matched by code and name, and the demo jobs are made only once
(found by their contacts' demo email domain). With an empty property register it loads the reference
data and skips the jobs, saying so.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from properties.models import CommunalArea, CommunalAreaKind, Property
from repairs.models import Channel, Priority, Report, SorCode, Trade, UpdatePreference, WorkTeam
from repairs.services import report_repair
from repairs.sor_import import decode_upload, import_sor_codes
from workflows.services import transition_job

SAMPLE_SOR_CODES = Path(settings.BASE_DIR) / "repairs" / "fixtures" / "sample_sor_codes.csv"
DEMO_EMAIL_DOMAIN = "demo.example.invalid"

# name, kind, trade codes, phone, email
WORK_TEAMS = [
    ("In-house repairs team", WorkTeam.Kind.IN_HOUSE, ["PL", "EL", "CA", "GB", "GL", "HE"], "0300 000 0001"),
    ("Damp and mould team", WorkTeam.Kind.IN_HOUSE, ["DM"], "0300 000 0002"),
    ("Northside Lifts (demo contractor)", WorkTeam.Kind.CONTRACTOR, ["LF"], "0300 000 0003"),
    ("Secure Entry Systems (demo contractor)", WorkTeam.Kind.CONTRACTOR, ["DE"], "0300 000 0004"),
    ("Topline Roofing (demo contractor)", WorkTeam.Kind.CONTRACTOR, ["RF"], "0300 000 0005"),
]

# Steps: a transition name, "book" (an appointment in the first free slot, which schedules the job),
# or ("hold", public reason).
HOLD_REASON = "We are arranging a damp and mould survey first."

# trade, priority, SoR code, size, description, contact, steps to walk the job through
HOME_JOBS = [
    ("PL", "RO", "DEMO-PL-01", "S", "The kitchen cold tap drips all the time.", "Priya Shah", []),
    (
        "EL",
        "EM",
        "DEMO-EL-02",
        "M",
        "No power to the kitchen sockets since last night.",
        "Tom Okafor",
        ["start_work"],
    ),
    (
        "DM",
        "DMI",
        "DEMO-DM-01",
        "S",
        "Black mould is spreading on the bedroom ceiling.",
        "Grace Lee",
        ["triage", ("hold", HOLD_REASON)],
    ),
    (
        "CA",
        "RO",
        "DEMO-CA-01",
        "S",
        "The bathroom door sticks and will not close.",
        "Dan Evans",
        ["triage", "book"],
    ),
    (
        "HE",
        "UR",
        "DEMO-HE-01",
        "M",
        "The boiler will not fire, so there is no hot water.",
        "Maria Costa",
        ["triage", "book", "start_work", "complete", "close"],
    ),
]
COMMUNAL_REPORTERS = ["Ade Bello", "Kim Novak", "Lou Reid"]


class Command(BaseCommand):
    help = "Load sample SoR codes, work teams and demo repairs (idempotent)."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            self.load_sor_codes()
            self.load_work_teams()
            if "seed_scheduling_demo" in get_commands():
                call_command("seed_scheduling_demo", stdout=self.stdout, stderr=self.stderr)
            if Report.objects.filter(contact_email__endswith=f"@{DEMO_EMAIL_DOMAIN}").exists():
                self.stdout.write("Demo repairs are already there.")
                return
            self.load_home_jobs()
            self.load_communal_job()

    def load_sor_codes(self) -> None:
        result = import_sor_codes(decode_upload(SAMPLE_SOR_CODES.read_bytes()))
        if not result.ok:
            raise CommandError("; ".join(str(error) for error in result.errors))
        self.stdout.write(f"Sample SoR codes: {result.summary()}")

    def load_work_teams(self) -> None:
        trades = {trade.code: trade for trade in Trade.objects.all()}
        for name, kind, trade_codes, phone in WORK_TEAMS:
            slug = name.split(" (")[0].lower().replace(" ", ".")
            team, _ = WorkTeam.objects.get_or_create(
                name=name, defaults={"kind": kind, "phone": phone, "email": f"{slug}@{DEMO_EMAIL_DOMAIN}"}
            )
            team.trades.add(*(trades[code] for code in trade_codes if code in trades))
        self.stdout.write(f"Work teams: {len(WORK_TEAMS)} ready.")

    def load_home_jobs(self) -> None:
        homes = list(Property.objects.reportable().order_by("pk")[: len(HOME_JOBS)])
        if not homes:
            self.stdout.write("No homes in the property register yet: demo repairs in homes skipped.")
            return
        for home, (trade, priority, sor, size, text, contact, steps) in zip(homes, HOME_JOBS, strict=False):
            report = self.report(
                property=home,
                trade=trade,
                priority=priority,
                sor=sor,
                size=size,
                text=text,
                contact=contact,
                access_notes="Please knock loudly; the bell is broken." if trade == "CA" else "",
            )
            self.walk(report.job, steps)
        self.stdout.write(f"Demo repairs in homes: {min(len(homes), len(HOME_JOBS))}.")

    def load_communal_job(self) -> None:
        areas = CommunalArea.objects.filter(is_active=True).order_by("pk")
        area = areas.filter(kind=CommunalAreaKind.LIFT).first() or areas.first()
        if area is None:
            self.stdout.write("No communal areas yet: the demo communal repair is skipped.")
            return
        trade = "LF" if area.kind == CommunalAreaKind.LIFT else "GB"
        # Each reporter's own home, where the block has homes on the register.
        neighbours = list(Property.objects.reportable().filter(block=area.block_id).order_by("pk")[:3])
        for index, contact in enumerate(COMMUNAL_REPORTERS):
            report = self.report(
                communal_area=area,
                reporter_property=neighbours[index] if index < len(neighbours) else None,
                trade=trade,
                priority="UR",
                sor="DEMO-LF-01" if trade == "LF" else "DEMO-GB-01",
                size="M",
                text=f"{area.name} is not working.",
                contact=contact,
            )
        self.walk(report.job, ["triage"])
        self.stdout.write(f"Demo communal repair: {len(COMMUNAL_REPORTERS)} reports on one job at {area}.")

    def report(
        self, *, trade: str, priority: str, sor: str, size: str, text: str, contact: str, **where
    ) -> Report:
        trade_obj = Trade.objects.get(code=trade)
        report = report_repair(
            **where,
            trade=trade_obj,
            priority=Priority.objects.get(code=priority),
            size=size,
            sor_code=SorCode.objects.filter(code=sor).first(),
            description=text,
            contact_name=contact,
            contact_email=f"{contact.split()[0].lower()}@{DEMO_EMAIL_DOMAIN}",
            update_preference=UpdatePreference.EMAIL,
            channel=Channel.ONLINE,
        )
        job = report.job
        # Routing assigns a team when a visit is booked; a job not booked yet gets the trade's team now.
        if job.assignee_id is None:
            job.assignee = WorkTeam.objects.filter(trades=trade_obj).order_by("pk").first()
            job.save(update_fields=["assignee", "updated_at"])
        return report

    def walk(self, job, steps: list) -> None:
        for step in steps:
            if step == "book":
                self.book(job)
            elif isinstance(step, tuple):
                action, public_reason = step
                transition_job(job, action, by=None, note="Demo data", public_note=public_reason)
            else:
                transition_job(job, step, by=None, note="Demo data")

    def book(self, job) -> None:
        """Book the first free slot, as a resident would online; booking schedules the job."""
        from scheduling.booking import book_appointment, slots_for_job

        page = slots_for_job(job=job)
        if not page.slots:
            raise CommandError(f"No free slot for the demo {job.trade} job: is the scheduling demo loaded?")
        book_appointment(job=job, slot=page.slots[0])
        job.refresh_from_db(fields=["state"])
