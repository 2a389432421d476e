"""Staff users for the property register's admin tests."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission


def staff_user(username: str, *codenames: str):
    """A staff member who may use the Wagtail admin, with the named property-register permissions."""
    user = get_user_model().objects.create_user(
        username=username, password="not-used-in-tests", is_staff=True
    )
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for codename in codenames:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="properties", codename=codename)
        )
    return user


@pytest.fixture
def register_clerk(db, client):
    """Logged in; may view homes but not import them."""
    client.force_login(staff_user("clerk", "view_property"))
    return client


@pytest.fixture
def register_manager(db, client):
    """Logged in; may view, add and change homes, so may import them."""
    client.force_login(staff_user("manager", "view_property", "add_property", "change_property"))
    return client
