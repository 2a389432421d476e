"""URL map. Each app owns its URLs; Wagtail's page tree serves everything not matched before it."""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
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
    path("scheduling/", include("scheduling.urls")),
    path("notifications/", include("notifications.urls")),
    path("api/v1/", include("api.urls_v1")),
    path("open311/v2/", include("api.open311.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# The resident's pages in English at the addresses they always had, and in Welsh under /cy/ (docs/welsh.md).
urlpatterns += i18n_patterns(
    path("repairs/", include("repairs.urls")),
    # Public pages go through the page cache first; Wagtail's own pattern stays for reversing page URLs.
    re_path(r"^(?!_util/)((?:[\w\-]+/)*)$", page_cache.serve, name="cms_public_page"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler403 = error_pages.permission_denied
handler404 = error_pages.page_not_found
handler500 = error_pages.server_error
