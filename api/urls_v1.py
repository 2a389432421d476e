"""URLs of the common repairs API (included at /api/v1/)."""

from .v1 import api

urlpatterns, _, _ = api.urls
app_name = "api_v1"
