"""Small template helpers for the back office."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None


@register.filter
def action_words(action: str) -> str:
    """An event's action in words: "record_no_access" reads "Record no access"."""
    return action.replace("_", " ").capitalize()
