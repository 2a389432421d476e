"""Start-up checks for a production install.

With hashed static names (whitenoise's manifest storage) and no `collectstatic` run, every page that
names a static file is a 500. That mistake should stop the deploy, not reach residents: the system
check fails `check`, `migrate` and `runserver`, and the WSGI entry point refuses to start.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

MISSING_MANIFEST = (
    "Static files have not been collected: {path} is missing, so every page would fail with a server "
    "error. Run `python manage.py collectstatic --noinput` as part of each deploy (or set "
    "STATIC_MANIFEST=false to serve unhashed files)."
)


def missing_static_manifest() -> str | None:
    """The error message when manifest storage is on and its manifest file is absent."""
    backend = settings.STORAGES.get("staticfiles", {}).get("BACKEND", "")
    if "Manifest" not in backend:
        return None
    path = Path(settings.STATIC_ROOT) / "staticfiles.json"
    return None if path.exists() else MISSING_MANIFEST.format(path=path)


@checks.register("static_manifest")  # not `staticfiles`: collectstatic runs those, and this one waits on it
def static_manifest_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    message = missing_static_manifest()
    return [checks.Error(message, id="config.E001")] if message else []


def require_static_manifest() -> None:
    message = missing_static_manifest()
    if message:
        raise ImproperlyConfigured(message)
