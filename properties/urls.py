"""URLs of the properties app."""

from django.urls import path  # noqa: F401

app_name = "properties"
urlpatterns: list = []
