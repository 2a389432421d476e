"""URLs of the repairs app."""

from django.urls import path  # noqa: F401

app_name = "repairs"
urlpatterns: list = []
