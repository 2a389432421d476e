"""URLs of the reports app (included at /back-office/reports/, inside the back office)."""

from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.reports_page, name="page"),
    path("export/<slug:name>.<slug:fmt>", views.download, name="download"),
]
