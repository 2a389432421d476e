"""URLs of Open311 GeoReport v2 (included at /open311/v2/); every call ends in .json or .xml."""

from django.urls import re_path

from . import views

app_name = "open311"
FMT = r"\.(?P<fmt>json|xml)$"
urlpatterns = [
    re_path(r"^services" + FMT, views.service_list, name="services"),
    re_path(r"^services/(?P<code>[^/]{1,60})" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.request_list, name="requests"),
    re_path(r"^requests/(?P<reference>[^/]{1,30})" + FMT, views.request_detail, name="request"),
]
