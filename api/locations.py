"""Where a repair is, as partner systems name it: one `address_id` for homes and communal areas.

A home is named by its property reference or its UPRN (the register's own identifiers), a communal
area by `communal-<id>` as the addresses call returns it. Both APIs use these, so an address found
through one can be booked through the other.
"""

from __future__ import annotations

from properties.models import CommunalArea, Property

from .problems import Problem

COMMUNAL_PREFIX = "communal-"


def home_address_id(home: Property) -> str:
    return home.property_ref


def communal_address_id(area: CommunalArea) -> str:
    return f"{COMMUNAL_PREFIX}{area.pk}"


def place_for(address_id: str) -> Property | CommunalArea:
    """The home or communal area an `address_id` names, or a 404 problem that says how to find one."""
    text = address_id.strip()
    if text.lower().startswith(COMMUNAL_PREFIX):
        number = text[len(COMMUNAL_PREFIX) :]
        area = (
            CommunalArea.objects.filter(pk=int(number), is_active=True).first()
            if number.isdigit() and len(number) < 18
            else None
        )
        if area is not None:
            return area
    else:
        home = Property.objects.filter(property_ref=text).first()
        if home is None and text.isdigit() and len(text) <= 12:
            home = Property.objects.filter(uprn=int(text)).first()
        if home is not None and home.is_active:
            return home
    raise Problem(
        404,
        "unknown-address",
        f"No home or communal area on the register has the address_id '{text[:40]}'. "
        "Find addresses with GET /api/v1/addresses?postcode=...",
    )


def home_for(address_id: str | None) -> Property | None:
    """The reporter's own home, where given; a communal id here is refused."""
    if not address_id:
        return None
    place = place_for(address_id)
    if not isinstance(place, Property):
        raise Problem(
            422, "invalid-reporter-address", "reporter_address_id must name a home, not a communal area."
        )
    return place
