"""Importing SoR codes from CSV: errors by line, nothing saved from a bad file, a re-import updates."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from repairs.models import SorCode
from repairs.sor_import import decode_upload, import_sor_codes
from tests.properties.test_csv_upload import NOT_CSV
from tests.workflows.factories import UserFactory

pytestmark = pytest.mark.django_db

HEADER = "code,description,trade,size,standard_minutes,unit_cost,active\n"


def csv_text(*rows: str) -> str:
    return HEADER + "".join(row + "\n" for row in rows)


def test_clean_file_creates_codes_with_their_trade_and_cost():
    result = import_sor_codes(csv_text('LOC-100,Renew tap washer,pl,small,45,"£1,234.50",yes'))

    assert (result.ok, result.created) == (True, 1)
    code = SorCode.objects.get(code="LOC-100")
    assert (code.trade.code, code.size, code.standard_minutes, code.unit_cost, code.is_active) == (
        "PL",
        "S",
        45,
        Decimal("1234.50"),
        True,
    )


def test_reimport_updates_changed_codes_and_counts_the_rest_unchanged():
    import_sor_codes(
        csv_text("LOC-1,Renew tap washer,PL,S,45,20.00,yes", "LOC-2,Renew socket,EL,S,45,30.00,yes")
    )

    result = import_sor_codes(
        csv_text("LOC-1,Renew tap washer,PL,S,45,22.00,no", "LOC-2,Renew socket,EL,S,45,30.00,yes")
    )

    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    code = SorCode.objects.get(code="LOC-1")
    assert (code.unit_cost, code.is_active) == (Decimal("22.00"), False)
    assert SorCode.objects.count() == 2


def test_every_bad_line_is_reported_by_its_line_number_and_nothing_is_saved():
    result = import_sor_codes(
        csv_text(
            "LOC-1,Renew tap washer,PL,S,45,20.00,yes",
            "LOC-2,,XX,Huge,-5,abc,maybe",
            "LOC-1,Duplicate,PL,S,45,20.00,yes",
        )
    )

    assert not result.ok
    assert SorCode.objects.count() == 0
    messages = [str(error) for error in result.errors]
    assert "Line 3: description is empty" in messages
    assert any(m.startswith("Line 3: trade 'XX' is not a trade code") for m in messages)
    assert "Line 3: size 'Huge' should be S, M or L" in messages
    assert any(m.startswith("Line 3: standard_minutes '-5'") for m in messages)
    assert any(m.startswith("Line 3: unit_cost 'abc'") for m in messages)
    assert "Line 3: active 'maybe' should be yes or no" in messages
    assert "Line 4: code LOC-1 is already on line 2" in messages


def test_line_numbers_count_lines_inside_quoted_descriptions():
    result = import_sor_codes(
        csv_text('LOC-1,"Renew tap washer\nand seat",PL,S,45,20.00,yes', "LOC-2,Renew,ZZ,S,45,1,yes")
    )

    assert [str(error).split(":")[0] for error in result.errors] == ["Line 4"]


def test_missing_columns_are_named():
    result = import_sor_codes("code,description\nLOC-1,Renew\n")

    assert [str(error) for error in result.errors] == [
        "Line 1: missing column(s): trade, size, standard_minutes, unit_cost"
    ]


def test_dry_run_reports_what_would_change_and_saves_nothing():
    result = import_sor_codes(csv_text("LOC-1,Renew tap washer,PL,S,45,20.00,"), dry_run=True)

    assert (result.ok, result.created) == (True, 1)
    assert "Would create 1" in result.summary()
    assert not SorCode.objects.exists()


def test_spreadsheet_encodings_are_read():
    assert decode_upload("\ufeffcode".encode()) == "code"
    assert decode_upload("£5".encode("cp1252")) == "£5"


def test_command_imports_a_file(tmp_path):
    path = tmp_path / "sor.csv"
    path.write_text(csv_text("LOC-1,Renew tap washer,PL,S,45,20.00,yes"), encoding="utf-8")

    call_command("import_sor_codes", str(path))

    assert SorCode.objects.filter(code="LOC-1").exists()


def test_command_dry_run_saves_nothing(tmp_path, capsys):
    path = tmp_path / "sor.csv"
    path.write_text(csv_text("LOC-1,Renew tap washer,PL,S,45,20.00,yes"), encoding="utf-8")

    call_command("import_sor_codes", str(path), "--dry-run")

    assert "Would create 1" in capsys.readouterr().out
    assert not SorCode.objects.exists()


def test_command_lists_errors_by_line_and_fails(tmp_path, capsys):
    path = tmp_path / "sor.csv"
    path.write_text(csv_text("LOC-1,Renew tap washer,ZZ,S,45,20.00,yes"), encoding="utf-8")

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_sor_codes", str(path))

    assert "Line 2: trade 'ZZ'" in capsys.readouterr().err


def test_command_says_when_the_file_cannot_be_read(tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_sor_codes", str(tmp_path / "missing.csv"))


@pytest.mark.parametrize(("data", "message"), NOT_CSV)
def test_command_refuses_what_is_not_csv_as_the_property_import_does(tmp_path, data, message):
    path = tmp_path / "sor.csv"
    path.write_bytes(data)

    with pytest.raises(CommandError, match=message):
        call_command("import_sor_codes", str(path))

    assert not SorCode.objects.exists()


@pytest.mark.parametrize(("data", "message"), NOT_CSV)
def test_admin_upload_refuses_what_is_not_csv_as_the_property_import_does(client, data, message):
    client.force_login(UserFactory(username="admin", is_superuser=True))

    response = client.post(
        reverse("repairs_sor_import"),
        {"file": SimpleUploadedFile("sor.csv", data, content_type="text/csv"), "dry_run": ""},
    )

    assert response.status_code == 200
    assert message.replace("'", "&#x27;") in response.content.decode()
    assert not SorCode.objects.exists()
