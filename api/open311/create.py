"""Creating a service request: an Open311 POST turned into a `RepairOrder` for `api.reporting`.

Homes have no coordinates on the register, so a location is `address_id` (UPRN, property reference or
`communal-<id>`) or an `address_string` holding the postcode and the home's first line; lat/long alone
is refused with a message that says so. Attribute answers become the report's diagnosis.
"""

from __future__ import annotations

import re

from django.http import QueryDict

from properties.models import CommunalArea, Property
from properties.postcodes import InvalidPostcode
from properties.selectors import addresses_at_postcode
from repairs.models import UpdatePreference

from ..locations import place_for
from ..problems import Problem
from ..reporting import RepairOrder, checked_contact, priority_by_code
from .catalogue import DEFAULT_PRIORITY, Service, attributes

DESCRIPTION_MAX = 1000
NAME_MAX = 150
POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})\b", re.IGNORECASE)
NO_COORDINATES = (
    "Homes on this register have no coordinates: give address_id (the UPRN or property reference, or "
    "communal-<id> for a shared area) or address_string (the first line of the address and the postcode)."
)


def order_from(form: QueryDict, service: Service) -> RepairOrder:
    place = _place(form)
    outcome = service.outcome
    if outcome is not None and (outcome.location == "communal") != isinstance(place, CommunalArea):
        where = "a communal area" if outcome.location == "communal" else "a home"
        raise Problem(400, "wrong-place", f"Service {service.code} is reported for {where}.")
    description = form.get("description", "").strip()
    if len(description) > DESCRIPTION_MAX:
        raise Problem(400, "too-long", f"description may be at most {DESCRIPTION_MAX} characters.")
    names = (form.get("first_name", "").strip(), form.get("last_name", "").strip())
    name = " ".join(part for part in names if part)
    if not name:
        raise Problem(400, "missing-name", "Give first_name or last_name: someone we can contact.")
    if len(name) > NAME_MAX:
        raise Problem(400, "too-long", f"first_name and last_name may be {NAME_MAX} characters together.")
    email = form.get("email", "").strip()[:255]
    updates = UpdatePreference.EMAIL if email else UpdatePreference.NONE
    try:
        phone, email = checked_contact(phone=form.get("phone", "")[:30], email=email, updates=updates)
    except Problem as problem:
        raise Problem(400, problem.kind, problem.detail) from problem
    answers = _answers(form, service)
    if outcome is not None:
        trade, priority, size = outcome.trade, outcome.priority, outcome.job_size
        reached = {"page_id": outcome.pk, "revision_id": outcome.live_revision_id, "outcome": outcome.summary}
        diagnosis = [*answers, reached]
    else:
        trade, size, diagnosis = service.trade, _chosen(form, "size") or "S", []
        try:
            priority = priority_by_code(_chosen(form, "priority") or DEFAULT_PRIORITY)
        except Problem as problem:
            raise Problem(400, problem.kind, problem.detail) from problem
    return RepairOrder(
        place=place,
        trade=trade,
        priority=priority,
        size=size,
        description=description or (outcome.summary if outcome else service.name),
        contact_name=name,
        contact_phone=phone,
        contact_email=email,
        update_preference=updates,
        reporter_home=place if isinstance(place, Property) else None,
        diagnosis=diagnosis,
    )


def _place(form: QueryDict) -> Property | CommunalArea:
    address_id = form.get("address_id", "").strip()
    if address_id:
        try:
            return place_for(address_id[:40])
        except Problem as problem:
            raise Problem(400, problem.kind, problem.detail) from problem
    address = form.get("address_string", "").strip()
    if address:
        return _home_at(address[:255])
    raise Problem(400, "no-location", NO_COORDINATES)


def _home_at(address: str) -> Property:
    match = POSTCODE.search(address)
    found = None
    if match:
        try:
            found = addresses_at_postcode(f"{match.group(1)} {match.group(2)}")
        except InvalidPostcode:
            found = None
    if found is None:
        raise Problem(400, "no-postcode", "address_string needs a postcode, like 'Flat 2, AA1 1AB'.")
    words = f" {_plain(address)} "
    homes = [home for home in found.homes if f" {_plain(home.address_line_1)} " in words]
    if len(homes) != 1:
        raise Problem(
            400,
            "address-not-matched",
            f"address_string matches {len(homes)} homes the council repairs at {found.postcode}: "
            "give address_id.",
        )
    return homes[0]


def _plain(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def _chosen(form: QueryDict, code: str) -> str:
    return form.get(f"attribute[{code}]", "").strip()


def _answers(form: QueryDict, service: Service) -> list[dict]:
    """The diagnosis steps the caller answered, checked against the service's definition."""
    steps = []
    for attribute in attributes(service):
        given = _chosen(form, attribute.code)
        if not given:
            continue
        if given not in {choice.key for choice in attribute.choices}:
            raise Problem(400, "invalid-attribute", f"attribute[{attribute.code}] may not be '{given[:20]}'.")
        if attribute.page is not None:
            answer = attribute.answers[given]
            steps.append(
                {
                    "page_id": attribute.page.pk,
                    "revision_id": attribute.page.live_revision_id,
                    "question": attribute.page.title,
                    "answer": answer.label,
                }
            )
    return steps
