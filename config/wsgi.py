"""WSGI entry point for gunicorn. It refuses to start without collected static files (config/checks.py)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

from config.checks import require_static_manifest  # noqa: E402  (needs the settings loaded above)

require_static_manifest()
