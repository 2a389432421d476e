"""URLs of the repairs app (included at /repairs/): the resident journey and the public status page."""

from django.urls import path

from .views import journey, status

app_name = "repairs"
urlpatterns = [
    path("report/", journey.report_start, name="report_start"),
    path("report/session-ended/", journey.report_expired, name="report_expired"),
    path("report/postcode/", journey.report_postcode, name="report_postcode"),
    path("report/address/", journey.report_address, name="report_address"),
    path("report/address-not-listed/", journey.report_not_repaired, name="report_not_repaired"),
    path("report/your-address/", journey.report_your_home, name="report_your_home"),
    path("report/already-reported/", journey.report_already_reported, name="report_already_reported"),
    path("report/description/", journey.report_description, name="report_description"),
    path("report/household/", journey.report_household, name="report_household"),
    path("report/photos/", journey.report_photos, name="report_photos"),
    path("report/access/", journey.report_access, name="report_access"),
    path("report/contact-details/", journey.report_contact, name="report_contact"),
    path("report/updates/", journey.report_updates, name="report_updates"),
    path("report/appointment/", journey.report_appointment, name="report_appointment"),
    path("report/check-your-answers/", journey.report_check, name="report_check"),
    path("report/confirmation/", journey.report_confirmation, name="report_confirmation"),
    path("status/", status.check_repair, name="check_repair"),
    path("status/<str:token>/", status.status, name="status"),
    path("status/<str:token>/appointment/", status.status_appointment, name="status_appointment"),
    path(
        "status/<str:token>/appointment/cancel/",
        status.status_cancel_appointment,
        name="status_cancel_appointment",
    ),
    path("status/<str:token>/cancel-report/", status.status_withdraw, name="status_withdraw"),
    path("status/<str:token>/not-fixed/", status.status_recall, name="status_recall"),
]
