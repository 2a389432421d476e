"""URLs of the scheduling app (included at /scheduling/)."""

from django.urls import path

from . import views
from .models import SchedulerKind

app_name = "scheduling"
urlpatterns = [
    path("inbound/<int:connection_id>/", views.inbound, name="inbound"),
    # The per-vendor addresses councils may already have configured: the same view, kind checked.
    path("inbound/drs/<int:connection_id>/", views.inbound, {"kind": SchedulerKind.DRS}, name="drs_inbound"),
    path(
        "inbound/totalmobile/<int:connection_id>/visit-status/",
        views.inbound,
        {"kind": SchedulerKind.TOTALMOBILE},
        name="totalmobile_inbound",
    ),
    path("feeds/team/<str:token>.ics", views.team_calendar_feed, name="team_feed"),
    path("appointments/<str:token>.ics", views.appointment_calendar_file, name="appointment_ics"),
]
