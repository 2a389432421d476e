"""GeoReport v2's two formats: the same records as a JSON array or as XML, as the specification shows.

XML wraps a list in a plural root (`services`, `service_requests`, `errors`) with one element per
record (`service`, `request`, `error`); nested lists (a definition's attributes and their values) nest
the same way. None becomes an empty element.
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

NESTED_ITEM = {"attributes": "attribute", "values": "value"}


def render(data: Any, fmt: str, *, root: str, item: str, status: int = 200) -> HttpResponse:
    if fmt == "json":
        return HttpResponse(json.dumps(data, default=str), content_type="application/json", status=status)
    element = ET.Element(root)
    if isinstance(data, list):
        for record in data:
            _fill(ET.SubElement(element, item), record)
    else:
        _fill(element, data)
    body = ET.tostring(element, encoding="utf-8", xml_declaration=True)
    return HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)


def errors(fmt: str, status: int, description: str) -> HttpResponse:
    listed = [{"code": status, "description": description}]
    return render(listed, fmt, root="errors", item="error", status=status)


def _fill(element: ET.Element, record: dict) -> None:
    for name, value in record.items():
        child = ET.SubElement(element, name)
        if isinstance(value, list):
            for entry in value:
                _fill(ET.SubElement(child, NESTED_ITEM.get(name, "item")), entry)
        elif isinstance(value, bool):
            child.text = "true" if value else "false"
        elif value is not None:
            child.text = str(value)
