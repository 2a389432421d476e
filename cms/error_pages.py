"""GOV.UK-styled error pages for the public site (Django's bare pages show when DEBUG is off otherwise).

404 and 403 render inside the site's layout, with the council's phone numbers. The 500 page is rendered
with no request context and no database: whatever broke may be the database itself.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render({"council_name": settings.WAGTAIL_SITE_NAME}))
