"""`manage.py check_diagnosis_tree`: exits non-zero, naming the pages, when the tree has problems."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from cms.tree_check import check_diagnosis_tree


class Command(BaseCommand):
    help = "Check the published diagnosis tree for dead ends, loops, unreachable and incomplete outcomes."

    def handle(self, *args, **options) -> None:
        report = check_diagnosis_tree()
        self.stdout.write(f"Checked {report.questions} questions and {report.outcomes} outcomes.")
        if report.ok:
            self.stdout.write(self.style.SUCCESS("No problems found."))
            return
        for problem in report.problems:
            self.stderr.write(f"  {problem}")
        raise CommandError(f"{len(report.problems)} problem(s) found in the diagnosis tree.", returncode=1)
