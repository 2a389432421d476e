"""Staff users in the roles the data migration creates."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"staff{n}")
    first_name = "Staff"
    last_name = factory.Sequence(lambda n: f"Member {n}")
    is_staff = True


def user_in_role(role: str, **kwargs):
    """A fresh user whose only permissions come from the named group."""
    user = UserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user
