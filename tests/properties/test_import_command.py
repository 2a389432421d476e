"""The import_properties command: progress, summary, errors by line, exit status."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from properties.models import Property

from .csv_files import home_row, homes_csv

pytestmark = pytest.mark.django_db


def run(path, *args):
    out, err = StringIO(), StringIO()
    call_command("import_properties", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_imports_and_prints_a_summary(tmp_path):
    path = tmp_path / "homes.csv"
    path.write_text(homes_csv(home_row(1), home_row(2)))

    out, _ = run(path)

    assert "2 rows checked: 2 homes were created, 0 were updated, 0 unchanged." in out
    assert Property.objects.count() == 2


def test_dry_run_reports_what_would_change_and_saves_nothing(tmp_path):
    path = tmp_path / "homes.csv"
    path.write_text(homes_csv(home_row(1)))

    out, _ = run(path, "--dry-run")

    assert "1 home would be created" in out
    assert "Dry run: nothing was saved." in out
    assert not Property.objects.exists()


def test_shows_progress_on_large_files(tmp_path):
    path = tmp_path / "homes.csv"
    path.write_text(homes_csv(*(home_row(n) for n in range(1, 6001))))

    out, _ = run(path, "--dry-run")

    assert "  checking 5,000 / 6,000 rows" in out


def test_lists_errors_by_line_and_exits_non_zero(tmp_path):
    path = tmp_path / "homes.csv"
    path.write_text(homes_csv(home_row(1), home_row(2, postcode="nowhere")))

    with pytest.raises(CommandError, match=r"1 problem found; nothing was imported\."):
        run(path)

    assert not Property.objects.exists()


def test_error_lines_go_to_stderr(tmp_path):
    path = tmp_path / "homes.csv"
    path.write_text(homes_csv(home_row(1), home_row(2, postcode="nowhere")))
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_properties", str(path), stdout=StringIO(), stderr=err)

    assert "Line 3: Postcode 'nowhere' is not a real postcode." in err.getvalue()


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="There is no file at"):
        run(tmp_path / "nope.csv")


def test_empty_file_is_a_clear_error(tmp_path):
    path = tmp_path / "homes.csv"
    path.write_bytes(b"")

    with pytest.raises(CommandError, match="The file is empty"):
        run(path)
