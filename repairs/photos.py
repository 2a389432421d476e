"""Photos a resident adds to a report: checked as images by content, location data stripped, stored
through Django's storage API so a council can point `STORAGES["default"]` at object storage.

A photo is saved as soon as it is uploaded (bound to the journey's draft key, with no report yet), so
a validation error later in the journey loses nothing; submitting the report attaches it.
Every photo is decoded and written again as a JPEG from its pixels alone: that drops EXIF (GPS
position, camera serial), XMP, comments and anything hidden after or between the image data (the
other half of a polyglot file), and the orientation is applied first so nothing turns. The file's
name and the browser's content type are never trusted: Pillow reads the bytes, and the pixel count is
checked from the header before anything is decoded, so a small file claiming a huge picture (a
decompression bomb) is refused without using the memory.
"""

from __future__ import annotations

import io
import secrets
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from PIL import Image, ImageOps, UnidentifiedImageError

try:  # iPhones send HEIC; pillow-heif (installed with Wagtail) teaches Pillow to read it.
    from pillow_heif import register_heif_opener

    register_heif_opener()
except ImportError:  # pragma: no cover
    pass

MAX_PHOTOS = 3
MAX_BYTES = getattr(settings, "REPAIRS_PHOTO_MAX_BYTES", 10 * 1024 * 1024)
MAX_PIXELS = 40_000_000  # refuses decompression bombs long before memory runs out
LONGEST_SIDE = 2560
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "HEIF", "MPO"}
TOO_LARGE = "The selected photo is too large: take it at a lower resolution"


class ReportPhoto(models.Model):
    """One photo of the problem; `report` is empty while the resident is still reporting."""

    wagtail_reference_index_ignore = True  # operational rows: see docs/performance.md, reference index

    report = models.ForeignKey(
        "repairs.Report", on_delete=models.CASCADE, related_name="photos", null=True, blank=True
    )
    draft_key = models.CharField(max_length=64, db_index=True, blank=True)
    image = models.FileField(upload_to="report-photos/%Y/%m/", max_length=200)
    original_name = models.CharField(max_length=150, blank=True)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "repairs"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name or self.image.name


def new_draft_key() -> str:
    return secrets.token_urlsafe(24)


def clean_image(upload) -> tuple[bytes, int, int]:
    """Check an upload is a real image within limits and return it re-encoded as JPEG, with its size."""
    if upload.size > MAX_BYTES:
        raise ValidationError(f"The selected file must be smaller than {MAX_BYTES // (1024 * 1024)}MB")
    if upload.size == 0:
        raise ValidationError("The selected file is empty")
    upload.seek(0)
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            if probe.format not in ACCEPTED_FORMATS:
                raise ValidationError("The selected file must be a JPG, PNG, WEBP, GIF or HEIC photo")
            if probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(TOO_LARGE)
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            image = ImageOps.exif_transpose(image)
            if image.mode not in ("RGB", "L"):
                flattened = Image.new("RGB", image.size, "white")
                rgba = image.convert("RGBA")
                flattened.paste(rgba, mask=rgba.getchannel("A"))
                image = flattened
            image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
            # Pillow writes a JPEG's comment back from `info` unless told otherwise, and a comment can
            # hold anything (a name, a script for a polyglot): only the pixels go forward.
            image.info = {}
            out = io.BytesIO()
            image.save(out, format="JPEG", quality=85, optimize=True)  # no exif= argument: none is written
            return out.getvalue(), image.width, image.height
    except Image.DecompressionBombError as error:  # Pillow's own ceiling, far above MAX_PIXELS
        raise ValidationError(TOO_LARGE) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ValidationError("The selected file must be a photo (JPG, PNG, WEBP, GIF or HEIC)") from error


def add_draft_photo(*, draft_key: str, upload) -> ReportPhoto:
    """Check, clean and store one photo for a report still being written."""
    if draft_photos(draft_key).count() >= MAX_PHOTOS:
        raise ValidationError(f"You can add up to {MAX_PHOTOS} photos")
    content, width, height = clean_image(upload)
    photo = ReportPhoto(
        draft_key=draft_key, original_name=(upload.name or "")[-150:], width=width, height=height
    )
    photo.image.save(f"{uuid.uuid4().hex}.jpg", ContentFile(content), save=False)
    photo.save()
    return photo


def draft_photos(draft_key: str) -> models.QuerySet[ReportPhoto]:
    return (
        ReportPhoto.objects.filter(draft_key=draft_key, report__isnull=True)
        if draft_key
        else (ReportPhoto.objects.none())
    )


def remove_draft_photo(*, draft_key: str, photo_id: int) -> None:
    for photo in draft_photos(draft_key).filter(pk=photo_id):
        default_storage.delete(photo.image.name)
        photo.delete()


def attach_photos(*, draft_key: str, report) -> int:
    """Give the draft's photos to the saved report; returns how many."""
    return draft_photos(draft_key).update(report=report, draft_key="")
