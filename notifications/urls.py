"""URLs of the notifications app: the delivery-receipt callback Notify calls."""

from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("receipts/", views.delivery_receipt, name="delivery_receipt"),
]
