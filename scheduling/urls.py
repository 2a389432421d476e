"""URLs of the scheduling app (included at /scheduling/)."""

from django.urls import path

from . import views

app_name = "scheduling"
urlpatterns = [
    path("inbound/drs/<int:connection_id>/", views.drs_booking_confirmation, name="drs_inbound"),
    path(
        "inbound/totalmobile/<int:connection_id>/visit-status/",
        views.totalmobile_visit_status,
        name="totalmobile_inbound",
    ),
    path("feeds/team/<str:token>.ics", views.team_calendar_feed, name="team_feed"),
    path("appointments/<str:token>.ics", views.appointment_calendar_file, name="appointment_ics"),
]
