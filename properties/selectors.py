"""Shared reads of the property register: what a resident or an agent finds by postcode."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.db.models.functions import Coalesce

from .addresses import natural_sort_key
from .models import Block, CommunalArea, Property
from .postcodes import normalise_postcode, postcode_key


@dataclass(frozen=True)
class AddressesAtPostcode:
    """The answer to "what can be reported at this postcode": homes in natural order, then communal areas."""

    postcode: str
    homes: tuple[Property, ...]
    communal_areas: tuple[CommunalArea, ...]


def addresses_at_postcode(typed: str) -> AddressesAtPostcode:
    """Find the eligible homes and the communal areas at a postcode as a person typed it.

    Raises properties.postcodes.InvalidPostcode for text that is not a postcode, so the journey can
    say "enter a real postcode" rather than "no addresses found". Two queries whatever the data size.

    Homes are those a resident may report an in-home repair for (active, repaired by the council, the
    same rule as PropertyQuerySet.reportable), in the natural order of their address (2, 4, 10) from
    the stored sort key and its index. Communal areas
    are those of every block or estate with an active home at the postcode, leaseholders' included
    (the council repairs their stairwells even when not their kitchens), and of blocks whose own address
    is at the postcode.
    """
    postcode = normalise_postcode(typed)
    key = postcode_key(postcode)
    active_here = list(
        Property.objects.filter(postcode_key=key, is_active=True)
        .select_related("block__estate")
        .order_by("postcode_key", "sort_key", "pk")
    )
    homes = tuple(home for home in active_here if home.council_repairs)
    block_ids = {home.block_id for home in active_here if home.block_id}
    estate_ids = {home.block.estate_id for home in active_here if home.block_id and home.block.estate_id}
    estates_of_blocks_here = Block.objects.filter(postcode_key=key, estate__isnull=False).values("estate_id")
    communal_areas = tuple(
        CommunalArea.objects.filter(is_active=True)
        .filter(
            Q(block_id__in=block_ids)
            | Q(block__postcode_key=key)
            | Q(estate_id__in=estate_ids)
            | Q(estate_id__in=estates_of_blocks_here)
        )
        .select_related("block", "estate")
        .order_by(Coalesce("block__name", "estate__name"), "name", "pk")
    )
    return AddressesAtPostcode(postcode=postcode, homes=homes, communal_areas=communal_areas)


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
