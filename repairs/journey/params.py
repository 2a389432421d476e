"""Options for the GOV.UK partials (templates/govuk/components/), built from Django forms.

The partials take the GOV.UK Frontend macro options; these helpers fill value, error message and the
error summary's links from a bound form, so every page shows errors the same way and keeps what was typed.
"""

from __future__ import annotations

from django import forms


def first_error(form: forms.Form | None, name: str) -> str | None:
    if form is None or not form.is_bound:
        return None
    errors = form.errors.get(name)
    return errors[0] if errors else None


def error_list(form: forms.Form | None, ids: dict[str, str] | None = None) -> list[dict]:
    """The error summary's links, in the order the fields appear on the page."""
    if form is None or not form.is_bound:
        return []
    ids = ids or {}
    return [
        {"text": errors[0], "href": f"#{ids.get(name, name)}"}
        for name, errors in form.errors.items()
        if name != "__all__"
    ] + [{"text": e, "href": "#main-content"} for e in form.errors.get("__all__", [])]


def value(form: forms.Form | None, name: str, initial: str | None = "") -> str:
    if form is not None and form.is_bound:
        return form.data.get(name, "")
    return initial or ""


def text_field(form, name: str, label: str, *, initial: str = "", heading: bool = False, **options) -> dict:
    params = {
        "name": name,
        "id": name,
        "value": value(form, name, initial),
        "label": {"text": label, "isPageHeading": heading, "classes": "govuk-label--l" if heading else ""},
        **options,
    }
    error = first_error(form, name)
    if error:
        params["errorMessage"] = {"text": error}
    return params


def radios(
    form, name: str, legend: str, items: list[dict], *, initial: str = "", heading: bool = True, **options
) -> dict:
    params = {
        "name": name,
        "idPrefix": name,
        "value": value(form, name, initial) or None,
        "fieldset": {
            "legend": {
                "text": legend,
                "isPageHeading": heading,
                "classes": "govuk-fieldset__legend--l" if heading else "govuk-fieldset__legend--m",
            }
        },
        "items": items,
        **options,
    }
    error = first_error(form, name)
    if error:
        params["errorMessage"] = {"text": error}
    return params
