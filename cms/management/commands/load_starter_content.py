"""`manage.py load_starter_content`: the starter diagnosis tree, guides, emergency advice and moderation,
in English and in Welsh (the Welsh tree translated with wagtail-localize, docs/welsh.md)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from cms.moderation import ensure_moderation
from cms.starter_content import load_starter_content
from cms.tree_check import check_diagnosis_tree
from cms.welsh_content import load_welsh_content


class Command(BaseCommand):
    help = "Load the starter repairs content (safe to run again: existing pages are left as they are)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--english-only", action="store_true", help="Leave out the Welsh starter pages.")

    def handle(self, *args, **options) -> None:
        result = load_starter_content()
        from wagtail.models import Locale

        from cms.models import HomePage

        ensure_moderation(HomePage.objects.get(locale=Locale.get_default()))
        welsh = [] if options["english_only"] else load_welsh_content()
        if welsh:
            self.stdout.write(f"Translated {len(welsh)} pages into Welsh.")
        if result.created:
            self.stdout.write(f"Created {len(result.created)} pages.")
        else:
            self.stdout.write("Starter content already loaded; nothing changed.")
        report = check_diagnosis_tree()
        self.stdout.write(
            f"Diagnosis tree: {report.questions} questions, {report.outcomes} outcomes, "
            f"{len(report.problems)} problems."
        )
