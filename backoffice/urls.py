"""URLs of the back office (included at /back-office/): staff only, sharing the Wagtail admin's login."""

from django.urls import include, path

from . import two_factor
from .views import appointments, hazards, job, properties, queue, raise_repair

app_name = "backoffice"
urlpatterns = [
    path("", queue.queue, name="queue"),
    path("bulk/", queue.bulk, name="bulk"),
    path("jobs/<int:pk>/", job.job_detail, name="job"),
    path("jobs/<int:pk>/actions/<slug:action>/", job.job_transition, name="job_transition"),
    path("jobs/<int:pk>/priority/", job.job_priority, name="job_priority"),
    path("jobs/<int:pk>/trade/", job.job_trade, name="job_trade"),
    path("jobs/<int:pk>/costs/", job.job_costs, name="job_costs"),
    path("jobs/<int:pk>/notes/", job.job_note, name="job_note"),
    path("jobs/<int:pk>/attention/", job.job_acknowledge, name="job_acknowledge"),
    path("jobs/<int:pk>/merge/", job.job_merge, name="job_merge"),
    path("jobs/<int:pk>/appointment/", appointments.job_book, name="job_book"),
    path(
        "jobs/<int:pk>/appointment/cancel/",
        appointments.job_cancel_appointment,
        name="job_cancel_appointment",
    ),
    path("raise/", raise_repair.raise_repair, name="raise_repair"),
    path("raise/diagnosis/", raise_repair.raise_with_diagnosis, name="raise_with_diagnosis"),
    path("raise/diagnosis/stop/", raise_repair.stop_assisting, name="raise_stop_assisting"),
    path("raise/home/<int:pk>/", raise_repair.raise_for_home, name="raise_for_home"),
    path(
        "raise/communal-area/<int:pk>/", raise_repair.raise_for_communal_area, name="raise_for_communal_area"
    ),
    path("properties/<int:pk>/", properties.property_detail, name="property"),
    path("hazards/", include(hazards.urlpatterns)),
    path("two-factor/", two_factor.two_factor, name="two_factor"),
    path("two-factor/set-up/", two_factor.two_factor_setup, name="two_factor_setup"),
]
