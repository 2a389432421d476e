"""The upload reader both importers share: empty, binary and spreadsheet files are refused the same way."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from properties.csv_upload import CsvUploadError, decode_upload, open_upload
from properties.models import Property

# The kinds of wrong file people upload, with the start of the message each gets (from either importer).
NOT_CSV = [
    pytest.param(b"", "The file is empty", id="empty"),
    pytest.param(b"  \r\n\n", "The file is empty", id="blank-lines"),
    pytest.param(b"PK\x03\x04\x14\x00\x06\x00" + b"x" * 50, "The file is a spreadsheet", id="xlsx-or-ods"),
    pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "The file is a spreadsheet", id="xls"),
    pytest.param("property_ref\n".encode("utf-16"), "saved as 'Unicode Text'", id="utf-16"),
    pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "The file is not a CSV file", id="binary"),
]


@pytest.mark.parametrize(("data", "message"), NOT_CSV)
def test_decode_upload_refuses_what_is_not_csv(data, message):
    with pytest.raises(CsvUploadError, match=message):
        decode_upload(data)


@pytest.mark.parametrize(("data", "message"), NOT_CSV)
def test_open_upload_refuses_what_is_not_csv(data, message):
    with pytest.raises(CsvUploadError, match=message):
        open_upload(io.BytesIO(data))


def test_decodes_excel_csv_with_a_byte_order_mark_and_windows_encoding():
    assert decode_upload("\ufeffproperty_ref\n".encode()) == "property_ref\n"
    assert decode_upload("town\nCaf\xe9\n".encode("cp1252")) == "town\nCaf\xe9\n"


def test_a_stream_is_windows_encoded_when_a_late_byte_is_not_utf8():
    data = ("town\n" + "Demoton\n" * 300_000 + "Caf\xe9\n").encode("cp1252")

    text = open_upload(io.BytesIO(data))

    assert text.read().endswith("Caf\xe9\n")


def test_a_stream_drops_excel_byte_order_mark_and_keeps_line_endings():
    text = open_upload(io.BytesIO("\ufefftown\r\nDemoton\r\n".encode()))

    assert text.read() == "town\r\nDemoton\r\n"


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "message"), NOT_CSV)
def test_the_import_command_refuses_what_is_not_csv(tmp_path, data, message):
    path = tmp_path / "homes.csv"
    path.write_bytes(data)

    with pytest.raises(CommandError, match=message):
        call_command("import_properties", str(path), stdout=io.StringIO())

    assert not Property.objects.exists()


@pytest.mark.parametrize(("data", "message"), NOT_CSV)
def test_the_admin_upload_refuses_what_is_not_csv(register_manager, data, message):
    response = register_manager.post(
        reverse("properties_import:upload"),
        {"file": SimpleUploadedFile("homes.csv", data, content_type="text/csv")},
    )

    assert response.status_code == 200
    assert message.replace("'", "&#x27;") in response.content.decode()
