"""Shared reads of the property register: what a resident or an agent finds by postcode."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from .addresses import natural_sort_key
from .models import Block, CommunalArea, Property, Tenure
from .postcodes import normalise_postcode, postcode_key

LEASEHOLD_REASON = (
    "Leasehold: the council repairs the building and its shared areas, not the inside of the home."
)
SHARED_OWNERSHIP_REASON = (
    "Shared ownership: repairs inside the home are the owner's to arrange; the council repairs the "
    "building and its shared areas."
)
OTHER_LANDLORD_REASON = (
    "Another landlord repairs this home (for example a housing association): contact your landlord."
)
REASONS_BY_TENURE = {Tenure.LEASEHOLD: LEASEHOLD_REASON, Tenure.SHARED_OWNERSHIP: SHARED_OWNERSHIP_REASON}


@dataclass(frozen=True)
class NotRepaired:
    """A home at the postcode not offered for an in-home repair, and why, in words for the resident."""

    home: Property
    reason: str


@dataclass(frozen=True)
class AddressesAtPostcode:
    """The answer to "what can be reported at this postcode": homes in natural order, then communal areas.

    not_repaired lists the homes at the postcode the council does not repair inside, with the reason,
    so the journey can tell a resident why their home is not offered instead of leaving it out silently.
    """

    postcode: str
    homes: tuple[Property, ...]
    communal_areas: tuple[CommunalArea, ...]
    not_repaired: tuple[NotRepaired, ...] = ()


def not_repaired_reason(home: Property) -> str:
    """Why the council does not repair inside this home, from what the register records of it."""
    return REASONS_BY_TENURE.get(home.tenure, OTHER_LANDLORD_REASON)


def addresses_at_postcode(typed: str) -> AddressesAtPostcode:
    """Find the eligible homes and the communal areas at a postcode as a person typed it.

    Raises properties.postcodes.InvalidPostcode for text that is not a postcode, so the journey can
    say "enter a real postcode" rather than "no addresses found". Three queries whatever the data
    size, each an index look-up (their plans at 1.6 million homes are in docs/property-import.md).

    Homes are those a resident may report an in-home repair for (active, repaired by the council, the
    same rule as PropertyQuerySet.reportable), in the natural order of their address (2, 4, 10) from
    the stored sort key and its index; the active homes the council does not repair come back apart,
    with the reason. Communal areas are those of every block or estate with an active home at the
    postcode, leaseholders' included (the council repairs their stairwells even when not their
    kitchens), and of blocks whose own address is at the postcode.
    """
    postcode = normalise_postcode(typed)
    key = postcode_key(postcode)
    active_here = list(
        Property.objects.at_postcode(key)
        .filter(is_active=True)
        .select_related("block__estate")
        .order_by("postcode_key", "sort_key", "pk")
    )
    homes = tuple(home for home in active_here if home.council_repairs)
    not_repaired = tuple(
        NotRepaired(home, not_repaired_reason(home)) for home in active_here if not home.council_repairs
    )
    block_ids = {home.block_id for home in active_here if home.block_id}
    estate_ids = {home.block.estate_id for home in active_here if home.block_id and home.block.estate_id}
    return AddressesAtPostcode(
        postcode=postcode,
        homes=homes,
        communal_areas=_communal_areas_near(key, block_ids, estate_ids),
        not_repaired=not_repaired,
    )


def _communal_areas_near(key: str, block_ids: set[int], estate_ids: set[int]) -> tuple[CommunalArea, ...]:
    """Active communal areas of these blocks and estates, and of blocks (and their estates) at the postcode.

    The blocks whose own address is at the postcode are found first (an index look-up on their
    postcode key), then the areas in one query on their own indexed block and estate columns. ORing
    conditions across the joined tables instead made PostgreSQL scan every communal area and block:
    34-41 ms per look-up at national scale.
    """
    for block_id, estate_id in (
        Block.objects.filter(postcode_key=key).order_by().values_list("pk", "estate_id")
    ):
        block_ids.add(block_id)
        if estate_id:
            estate_ids.add(estate_id)
    return tuple(
        CommunalArea.objects.filter(is_active=True)
        .filter(Q(block_id__in=sorted(block_ids)) | Q(estate_id__in=sorted(estate_ids)))
        .select_related("block", "estate")
        .order_by(Coalesce("block__name", "estate__name"), "name", "pk")
    )


def search_homes(homes: QuerySet[Property], text: str) -> QuerySet[Property]:
    """Staff search over homes: a postcode typed any way, a UPRN, a property reference or part of the address.

    The postcode is matched on the normalised key ("sw1a1aa" and "SW1A 1AA" both find SW1A 1AA, and
    "sw1a" finds the whole sector); address words are matched on the stored natural sort key, so
    "flat 2 kestrel" finds Flat 2, Kestrel House but not Flat 12.
    """
    text = " ".join(text.split())
    if not text:
        return homes
    query = (
        Q(postcode_key__startswith=postcode_key(text))
        | Q(property_ref__iexact=text)
        | Q(sort_key__contains=natural_sort_key(text))
        | Q(town__icontains=text)
    )
    uprn = text.removesuffix(".0")
    if uprn.isdigit() and len(uprn) <= 12:
        query |= Q(uprn=int(uprn))
    return homes.filter(query)


def search_blocks(blocks: QuerySet[Block], text: str) -> QuerySet[Block]:
    """Staff search over blocks: name, block reference or postcode typed any way."""
    text = " ".join(text.split())
    if not text:
        return blocks
    return blocks.filter(
        Q(name__icontains=text) | Q(code__iexact=text) | Q(postcode_key__startswith=postcode_key(text))
    )
