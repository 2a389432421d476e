# ruff: noqa: F811 (the `world` fixture is imported, and test arguments name it)
"""Photos: checked as images by content, location data stripped, at most three, stored through storage."""

from __future__ import annotations

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from repairs import photos
from repairs.models import Report
from repairs.photos import ReportPhoto
from tests.repairs.test_journey_fixtures import photo_bytes, walk_in_home, world  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, content: bytes, name: str = "leak.jpg"):
    return client.post(
        "/repairs/report/photos/", {"photo": SimpleUploadedFile(name, content, content_type="image/jpeg")}
    )


def at_photos(client, world) -> None:
    walk_in_home(client, world)


def test_a_photo_is_stored_without_its_location_data(client, world) -> None:
    at_photos(client, world)
    original = photo_bytes(gps=True)
    assert Image.open(__import__("io").BytesIO(original)).getexif().get(0x8825) is not None
    assert upload(client, original).status_code == 302
    photo = ReportPhoto.objects.get()
    with default_storage.open(photo.image.name) as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
    assert "leak.jpg" in client.get("/repairs/report/photos/").content.decode()


def test_a_file_that_is_not_an_image_is_refused_whatever_its_name(client, world) -> None:
    at_photos(client, world)
    response = upload(client, b"%PDF-1.4 not a photo", "photo.jpg")
    assert response.status_code == 400
    assert "must be a photo" in response.content.decode()
    assert not ReportPhoto.objects.exists()


def test_a_photo_over_the_size_limit_is_refused(client, world, monkeypatch) -> None:
    at_photos(client, world)
    monkeypatch.setattr(photos, "MAX_BYTES", 100)
    response = upload(client, photo_bytes(size=(400, 400)))
    assert response.status_code == 400 and "must be smaller than" in response.content.decode()


def test_no_more_than_three_photos(client, world) -> None:
    at_photos(client, world)
    for _ in range(3):
        upload(client, photo_bytes())
    assert 'type="file"' not in client.get("/repairs/report/photos/").content.decode()
    response = upload(client, photo_bytes())
    assert "up to 3 photos" in response.content.decode()
    assert ReportPhoto.objects.count() == 3


def test_a_photo_can_be_removed(client, world) -> None:
    at_photos(client, world)
    upload(client, photo_bytes())
    client.post("/repairs/report/photos/", {"remove": str(ReportPhoto.objects.get().pk)})
    assert not ReportPhoto.objects.exists()


def test_photos_join_the_report_when_it_is_made(client, world) -> None:
    at_photos(client, world)
    upload(client, photo_bytes(fmt="PNG"), "leak.png")
    token = client.get("/repairs/report/check-your-answers/").context["submission"]
    client.post("/repairs/report/check-your-answers/", {"submission": token})
    report = Report.objects.get()
    assert list(report.photos.values_list("draft_key", flat=True)) == [""]
