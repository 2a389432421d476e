"""Once filled the reports summary; the fill now runs in 0006, after the summary's money moved to pence
in 0005, because it writes through today's code. Kept, doing nothing, so databases that applied it stay
consistent with the migration graph.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_report_summary"),
        ("repairs", "0008_backfill_completed_and_closed_at"),
        ("workflows", "0007_default_hazard_kinds"),
    ]

    operations = []
