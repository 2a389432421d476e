"""URL map. Each app owns its URLs; Wagtail's page tree serves everything not matched before it."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms import error_pages, page_cache
from config.health import HealthView
from config.metrics import metrics

urlpatterns = [
    path("health/", HealthView.as_view(), name="health"),
    path("metrics/", metrics, name="metrics"),
    path("admin/", include(wagtailadmin_urls)),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("back-office/reports/", include("reports.urls")),
    path("back-office/", include("backoffice.urls")),
    path("properties/", include("properties.urls")),
    path("repairs/", include("repairs.urls")),
    path("scheduling/", include("scheduling.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/v1/", include("api.urls_v1")),
    path("open311/v2/", include("api.open311.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [
    # Public pages go through the page cache first; Wagtail's own pattern stays for reversing page URLs.
    re_path(r"^(?!_util/)((?:[\w\-]+/)*)$", page_cache.serve, name="cms_public_page"),
    path("", include(wagtail_urls)),
]

handler403 = error_pages.permission_denied
handler404 = error_pages.page_not_found
handler500 = error_pages.server_error
