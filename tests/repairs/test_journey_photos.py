# ruff: noqa: F811 (the `world` fixture is imported, and test arguments name it)
"""Photos: checked as images by content, location data stripped, at most three, stored through storage."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, PngImagePlugin

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


def png_claiming(width: int, height: int) -> bytes:
    """A small, well-formed PNG whose header claims `width` x `height` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 4096))
        + chunk(b"IEND", b"")
    )


def test_a_polyglot_keeps_only_its_pixels(client, world) -> None:
    at_photos(client, world)
    image = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(
        image,
        format="JPEG",
        comment=b"<script>alert(1)</script> Sam Resident",
        xmp=b"<x:xmpmeta><exif:GPSLatitude>51,30N</exif:GPSLatitude></x:xmpmeta>",
    )
    polyglot = image.getvalue() + b"PK\x03\x04<?php system($_GET['c']); ?>"

    assert upload(client, polyglot, "holiday.jpg").status_code == 302

    with default_storage.open(ReportPhoto.objects.get().image.name) as stored:
        kept = stored.read()
    for payload in (b"<script>", b"Sam Resident", b"GPSLatitude", b"PK\x03\x04", b"<?php"):
        assert payload not in kept
    with Image.open(io.BytesIO(kept)) as reread:
        assert reread.format == "JPEG" and reread.size == (40, 30)
        assert "comment" not in reread.info and "xmp" not in reread.info


@pytest.mark.parametrize("side", [8_000, 20_000])  # past our limit; past Pillow's own as well
def test_a_small_file_claiming_a_huge_picture_is_refused_before_it_is_decoded(
    client, world, monkeypatch, side
) -> None:
    at_photos(client, world)
    bomb = png_claiming(side, side)
    assert len(bomb) < 1_000

    def never_decode(self, *args, **kwargs):
        raise AssertionError("the bomb was decoded")

    monkeypatch.setattr(Image.Image, "load", never_decode)
    monkeypatch.setattr(PngImagePlugin.PngImageFile, "load", never_decode)
    response = upload(client, bomb, "leak.png")

    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not ReportPhoto.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "content_type"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "leak.png", "image/png"),
        (b"<html><script>alert(1)</script></html>", "leak.jpg", "image/jpeg"),
        (b"GIF89a<script>alert(1)</script>", "leak.gif", "image/gif"),
    ],
)
def test_what_the_browser_says_is_an_image_is_refused_unless_its_bytes_are(
    client, world, content, name, content_type
) -> None:
    at_photos(client, world)
    response = client.post(
        "/repairs/report/photos/", {"photo": SimpleUploadedFile(name, content, content_type=content_type)}
    )
    assert response.status_code == 400
    assert "must be a photo" in response.content.decode()
    assert not ReportPhoto.objects.exists()


def test_a_real_photo_is_taken_whatever_its_name_and_declared_type(client, world) -> None:
    at_photos(client, world)
    response = client.post(
        "/repairs/report/photos/",
        {"photo": SimpleUploadedFile("notes.txt", photo_bytes(fmt="PNG"), content_type="text/plain")},
    )
    assert response.status_code == 302
    with default_storage.open(ReportPhoto.objects.get().image.name) as stored, Image.open(stored) as image:
        assert image.format == "JPEG"
