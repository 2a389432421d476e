"""Helpers for the GOV.UK component partials in templates/govuk/components/.

The partials take one `params` dict shaped like the GOV.UK Frontend Nunjucks macro options, so the
upstream fixtures can test them and the Design System's documentation describes them.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def govuk_attributes(attributes: Any) -> SafeString:
    """Render ` name="value"` pairs the way GOV.UK Frontend's `govukAttributes` macro does.

    A value may be a plain value, or `{"value": ..., "optional": True}` where an empty value drops the
    attribute and `True` renders it as a bare boolean attribute.
    """
    if not attributes:
        return mark_safe("")
    if isinstance(attributes, str):
        return mark_safe(attributes)
    parts: list[str] = []
    for name, item in attributes.items():
        options = item if isinstance(item, dict) else {"value": item, "optional": False}
        value = options.get("value")
        optional = options.get("optional") is True
        if optional and value is True:
            parts.append(f" {conditional_escape(name)}")
        elif not optional or value not in (None, False):
            text = "" if value is None else _js_string(value)
            parts.append(f' {conditional_escape(name)}="{conditional_escape(text)}"')
    return mark_safe("".join(parts))


def _js_string(value: Any) -> str:
    """Booleans print as JavaScript does, because the fixtures were rendered by Nunjucks."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


@register.filter
def js_bool(value: Any) -> str:
    return _js_string(value)


@register.filter
def has_class(classes: str | None, name: str) -> bool:
    return bool(classes) and name in classes


@register.filter
def add_str(value: Any, suffix: Any) -> str:
    """String concatenation (Django's `add` filter does arithmetic on numeric strings)."""
    return f"{value}{suffix}"


class CaptureNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: str) -> None:
        self.nodelist = nodelist
        self.name = name

    def render(self, context: template.Context) -> str:
        context[self.name] = mark_safe(self.nodelist.render(context).strip())
        return ""


@register.tag
def capture(parser: template.base.Parser, token: template.base.Token) -> CaptureNode:
    """`{% capture as name %}...{% endcapture %}` keeps rendered markup in a variable, like Nunjucks `set`."""
    bits = token.split_contents()
    if len(bits) != 3 or bits[1] != "as":
        raise template.TemplateSyntaxError("Usage: {% capture as name %}...{% endcapture %}")
    nodelist = parser.parse(("endcapture",))
    parser.delete_first_token()
    return CaptureNode(nodelist, bits[2])


@register.filter
def lookup(mapping: Any, key: str) -> Any:
    """Read a key that Django's dot lookup would shadow (`items` on a dict is the method)."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def truthy_items(items: Any) -> list:
    """Drop empty entries, as the service navigation macro's `select("truthy")` does."""
    return [item for item in items or () if item]


@register.simple_tag
def govuk_params(**options: Any) -> dict:
    """Build a component's options in a template: `{% govuk_params text="Continue" legend__text=q as p %}`.

    A double underscore nests, so `legend__text` becomes `{"legend": {"text": ...}}`.
    """
    built: dict = {}
    for key, value in options.items():
        target = built
        *parents, last = key.split("__")
        for parent in parents:
            target = target.setdefault(parent, {})
        target[last] = value
    return built


@register.filter
def any_row_has_actions(rows: Any) -> bool:
    """Whether a summary list needs its third column (then rows without actions get a modifier)."""
    return any(row and (row.get("actions") or {}).get("items") for row in rows or ())
