"""Fills the reports summary for jobs already in the database, so the page's figures stay whole on the
first request after this release. A database with no jobs (a new install, the tests) has nothing to
fill. The rebuild reads through today's code (`reports.summary`), as `rebuild_report_summary` does; on
a database migrated long after this release, run that command instead if this step is ever skipped.
"""

from django.db import migrations


def fill(apps, schema_editor) -> None:
    if not apps.get_model("repairs", "Job").objects.exists():
        return
    from reports.summary import rebuild_range, source_span

    span = source_span()
    if span is not None:
        for _ in rebuild_range(*span):
            pass
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ANALYZE reports_jobdaysummary, reports_homecostsummary")


class Migration(migrations.Migration):
    atomic = False  # each month of the rebuild commits on its own

    dependencies = [
        ("reports", "0005_summary_money_in_pence"),
        ("repairs", "0008_backfill_completed_and_closed_at"),
        ("workflows", "0007_default_hazard_kinds"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
