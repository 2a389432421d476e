# ruff: noqa: E501  (plain-English content reads better unwrapped)
"""Starter diagnosis tree, self-help guides and emergency advice a council can publish on day one.

Everything here is ordinary Wagtail content once loaded: editors change the wording, add questions or
remove outcomes in the admin. Loading is idempotent: a page that already exists (by slug under its
parent) is left exactly as editors made it.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.text import slugify
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from cms.models import (
    Answer,
    DiagnosisStartPage,
    EmergencyAdvicePage,
    EmergencyLine,
    HomePage,
    OutcomePage,
    OutcomeType,
    QuestionPage,
    RepairLocation,
    SelfHelpPage,
)
from repairs.defaults import ensure_defaults
from repairs.models import Priority, Trade
from workflows.models import HazardKind

# --- The shape of the content ---------------------------------------------------------------------


@dataclass
class Outcome:
    title: str
    summary: str
    kind: str = OutcomeType.BOOKABLE
    trade: str = ""
    size: str = ""
    priority: str = ""
    body: str = ""
    guide: str = ""  # slug of a SelfHelpPage
    location: str = RepairLocation.IN_HOME
    slug: str = ""
    emergency_line: str = EmergencyLine.COUNCIL
    hazard: str = ""  # code of a workflows HazardKind (Awaab's Law), for outcomes that open a hazard case
    asks_household: bool = False  # ask whether anyone in the home is very young or has a health condition


@dataclass
class Question:
    title: str
    answers: list[tuple[str, Question | Outcome | str]]
    hint: str = ""
    error: str = ""
    slug: str = ""


@dataclass
class Guide:
    title: str
    slug: str
    intro: str
    blocks: list[tuple[str, object]] = field(default_factory=list)


def _bookable(title: str, summary: str, trade: str, size: str, priority: str, **extra) -> Outcome:
    return Outcome(title=title, summary=summary, trade=trade, size=size, priority=priority, **extra)


def _communal(title: str, summary: str, trade: str, size: str, priority: str, **extra) -> Outcome:
    return _bookable(title, summary, trade, size, priority, location=RepairLocation.COMMUNAL, **extra)


BOOKABLE_BODY = (
    "<p>Tell us about the repair and we will arrange for someone to fix it. "
    "Make sure someone over 18 can be at home to let us in.</p>"
)

# Emergencies and other shared outcomes, referred to by key from many answers.
SHARED_OUTCOMES: dict[str, Outcome] = {
    "gas": Outcome(
        title="If you smell gas, call the gas emergency line now",
        slug="gas-smell",
        kind=OutcomeType.EMERGENCY,
        emergency_line=EmergencyLine.GAS,
        summary="A smell of gas or a suspected gas leak is an emergency.",
        body="<p>Open doors and windows, turn off the gas at the meter if you can, and do not use light switches, "
        "matches or anything that could make a spark. Leave the building if the smell is strong.</p>"
        "<p>The gas emergency line is free and open all day and night.</p>",
    ),
    "flooding": Outcome(
        title="Flooding is an emergency: call us now",
        slug="flooding",
        kind=OutcomeType.EMERGENCY,
        summary="Water that you cannot stop, or water near electrics, needs a plumber today.",
        body="<p>Turn off the water at the stop tap if you can. It is usually under the kitchen sink. "
        "Do not touch electrics, sockets or switches that are wet.</p>",
    ),
    "no_power": Outcome(
        title="No power in your home is an emergency: call us now",
        slug="no-power",
        kind=OutcomeType.EMERGENCY,
        summary="Having no electricity at all needs an electrician today.",
        body="<p>First check whether your neighbours have power. If they do not, it is probably a power cut: "
        "call 105 to report it to your network operator. If you have a prepayment meter, check it has credit.</p>",
    ),
    "unsafe_electrics": Outcome(
        title="Dangerous electrics are an emergency: call us now",
        slug="dangerous-electrics",
        kind=OutcomeType.EMERGENCY,
        summary="Exposed wires, sparks, smoke or a burning smell from a socket or switch are dangerous.",
        body="<p>If it is safe to do so, switch off the electricity at the consumer unit (fuse box). "
        "Do not touch anything that is wet, hot or sparking.</p>",
    ),
    "unsafe_structure": Outcome(
        title="Something unsafe is an emergency: call us now",
        slug="unsafe-structure",
        kind=OutcomeType.EMERGENCY,
        summary="A ceiling, wall, roof or anything else that could fall or collapse needs making safe today.",
        body="<p>Keep everyone away from the area. If anyone is hurt or in danger, call 999.</p>",
    ),
    "insecure_home": Outcome(
        title="If you cannot secure your home, call us now",
        slug="insecure-home",
        kind=OutcomeType.EMERGENCY,
        summary="A front door or ground-floor window that will not lock leaves your home unsafe.",
    ),
    "lift_trapped": Outcome(
        title="If someone is trapped in a lift, call us now",
        slug="lift-trapped",
        kind=OutcomeType.EMERGENCY,
        location=RepairLocation.COMMUNAL,
        summary="Someone trapped in a lift needs help straight away.",
        body="<p>Press the alarm button in the lift. If anyone is hurt or unwell, call 999.</p>",
    ),
    "communal_heating_off": Outcome(
        title="No heating or hot water for the whole building: call us now",
        slug="communal-heating-failure",
        kind=OutcomeType.EMERGENCY,
        location=RepairLocation.COMMUNAL,
        summary="A communal heating system that has stopped affects everyone in the building.",
    ),
    "something_else": Outcome(
        title="Contact us about this repair",
        slug="something-else",
        kind=OutcomeType.CONTACT_US,
        summary="We need to talk to you to understand this repair.",
        body="<p>Call us and we will work out what is needed and book the repair for you.</p>",
    ),
    "own_appliance": Outcome(
        title="We do not repair appliances you own",
        slug="own-appliance",
        kind=OutcomeType.NOT_OUR_RESPONSIBILITY,
        summary="Cookers, fridges, washing machines and other appliances you own are your responsibility.",
        body="<p>Contact the shop or manufacturer, or check your home contents insurance. "
        "If an appliance we fitted is broken, call us.</p>",
    ),
}

LEAKS = Question(
    "What is the problem with the water or plumbing?",
    slug="leaks-and-plumbing",
    answers=[
        ("Water is pouring in or flooding and I cannot stop it", "flooding"),
        (
            "A dripping tap or a small leak I can catch in a bowl",
            _bookable(
                "Report a dripping tap or small leak",
                "A dripping tap or small leak",
                "PL",
                "S",
                "RO",
                body=BOOKABLE_BODY,
            ),
        ),
        (
            "A blocked toilet, and it is the only toilet in my home",
            _bookable(
                "Report a blocked toilet",
                "A blocked toilet, the only one in the home",
                "PL",
                "S",
                "UR",
                body=BOOKABLE_BODY,
            ),
        ),
        (
            "A blocked sink, bath or shower",
            _bookable(
                "Report a blocked sink, bath or shower",
                "A blocked sink, bath or shower",
                "PL",
                "S",
                "RO",
                body=BOOKABLE_BODY,
            ),
        ),
        (
            "No water coming out of any tap",
            _bookable(
                "Report no water supply",
                "No water from any tap",
                "PL",
                "M",
                "UR",
                body="<p>Check with your neighbours first. If they have no water either, contact your water "
                "company, as it may be a problem with the supply.</p>",
            ),
        ),
    ],
)

HEATING = Question(
    "What is the problem with your heating or hot water?",
    slug="heating-and-hot-water",
    answers=[
        ("I can smell gas", "gas"),
        (
            "I have no heating and no hot water",
            _bookable(
                "Report no heating or hot water",
                "No heating and no hot water",
                "HE",
                "M",
                "UR",
                body="<p>If anyone in your home is over 65, disabled, unwell or a young child, call us so we "
                "can treat this as an emergency.</p>",
            ),
        ),
        (
            "Some radiators are cold at the top but warm at the bottom",
            Outcome(
                title="You can fix cold radiators yourself",
                slug="cold-radiators",
                kind=OutcomeType.SELF_HELP,
                summary="Radiators that are cold at the top usually have air in them and need bleeding.",
                guide="bleed-a-radiator",
            ),
        ),
        (
            "The boiler is leaking, or making loud banging noises",
            _bookable(
                "Report a problem with your boiler",
                "A leaking or noisy boiler",
                "HE",
                "M",
                "UR",
                body=BOOKABLE_BODY,
            ),
        ),
        (
            "A radiator or heating pipe is leaking",
            _bookable(
                "Report a leaking radiator",
                "A leaking radiator or heating pipe",
                "HE",
                "S",
                "RO",
                body=BOOKABLE_BODY,
            ),
        ),
    ],
)

ELECTRICS = Question(
    "What is the problem with the electrics?",
    slug="electrics",
    answers=[
        ("There is no power anywhere in my home", "no_power"),
        ("I can see bare wires, sparks or smoke, or smell burning", "unsafe_electrics"),
        (
            "Some lights or sockets have stopped working",
            Outcome(
                title="You may be able to fix this yourself",
                slug="lights-or-sockets-off",
                kind=OutcomeType.SELF_HELP,
                summary="When some lights or sockets stop working, a switch in the fuse box has usually tripped.",
                guide="reset-a-tripped-switch",
            ),
        ),
        (
            "A socket, switch or light fitting is broken",
            _bookable(
                "Report a broken socket, switch or light",
                "A broken socket, switch or light fitting",
                "EL",
                "S",
                "RO",
                body=BOOKABLE_BODY,
            ),
        ),
        ("An appliance I own, such as a cooker or fridge, is broken", "own_appliance"),
    ],
)

DOORS_AND_WINDOWS = Question(
    "What is the problem with a door or window?",
    slug="doors-and-windows",
    answers=[
        ("My front door or a ground-floor window will not lock", "insecure_home"),
        (
            "The glass in a window or door is broken or cracked",
            _bookable(
                "Report broken glass",
                "Broken or cracked glass in a window or door",
                "GL",
                "S",
                "UR",
                body="<p>Keep children and pets away from the broken glass. If it is safe, tape over cracks "
                "or cover the gap until we arrive.</p>",
            ),
        ),
        (
            "A window will not open or close properly",
            _bookable(
                "Report a window that will not open or close",
                "A window that will not open or close",
                "CA",
                "S",
                "RO",
                body=BOOKABLE_BODY,
            ),
        ),
        (
            "An inside door is damaged or sticking",
            _bookable(
                "Report a damaged inside door",
                "A damaged or sticking inside door",
                "CA",
                "S",
                "RO",
                body=BOOKABLE_BODY,
            ),
        ),
    ],
)

KITCHEN = Question(
    "What is the problem in your kitchen?",
    slug="kitchen",
    answers=[
        (
            "A cupboard, drawer or worktop is broken",
            _bookable(
                "Report a broken kitchen unit or worktop",
                "A broken kitchen cupboard, drawer or worktop",
                "CA",
                "M",
                "RO",
                body=BOOKABLE_BODY,
            ),
        ),
        (
            "The kitchen tap or pipes under the sink are leaking",
            _bookable(
                "Report a leak in your kitchen",
                "A leaking kitchen tap or pipe",
                "PL",
                "S",
                "RO",
                body=BOOKABLE_BODY,
            ),
        ),
        (
            "The extractor fan does not work",
            _bookable(
                "Report a broken kitchen extractor fan",
                "A kitchen extractor fan that does not work",
                "EL",
                "S",
                "RO",
                body=BOOKABLE_BODY,
            ),
        ),
        ("A washing machine, cooker or fridge I own is broken", "own_appliance"),
    ],
)

BATHROOM = Question(
    "What is the problem in your bathroom?",
    slug="bathroom",
    answers=[
        (
            "The toilet will not flush, or is leaking",
            _bookable(
                "Report a toilet that will not flush",
                "A toilet that will not flush or is leaking",
                "PL",
                "S",
                "UR",
                body=BOOKABLE_BODY,
            ),
        ),
        (
            "The seal around the bath or shower is leaking or mouldy",
            _bookable(
                "Report a leaking bath or shower seal",
                "A leaking or mouldy bath or shower seal",
                "PL",
                "S",
                "RO",
                body=BOOKABLE_BODY,
            ),
        ),
        (
            "The bathroom extractor fan does not work",
            _bookable(
                "Report a broken bathroom extractor fan",
                "A bathroom extractor fan that does not work",
                "EL",
                "S",
                "RO",
                body=BOOKABLE_BODY,
            ),
        ),
    ],
)

DAMP = Question(
    "Which of these best describes the damp or mould?",
    slug="damp-and-mould",
    hint="Mould is often black spots on walls, ceilings or window frames. Damp can feel cold and wet or smell musty.",
    answers=[
        (
            "A small patch, smaller than a dinner plate, that wipes off",
            Outcome(
                title="You can treat small patches of mould yourself",
                slug="small-mould-patch",
                kind=OutcomeType.SELF_HELP,
                summary="Small patches of mould are usually caused by condensation.",
                guide="reduce-condensation",
            ),
        ),
        (
            "Mould that keeps coming back, or covers a large area",
            _bookable(
                "Report damp and mould",
                "Damp or mould that keeps coming back or covers a large area",
                "DM",
                "M",
                "DMI",
                body="<p>We will visit to find out what is causing the damp or mould within 10 working days, "
                "then tell you in writing what we found and what we will do.</p>",
                hazard="damp-and-mould",
                asks_household=True,
            ),
        ),
        (
            "Water is coming through a wall or ceiling",
            _bookable(
                "Report water coming through a wall or ceiling",
                "Water coming through a wall or ceiling",
                "GB",
                "M",
                "UR",
                body="<p>If the water is near lights or sockets, or the ceiling is bulging, this is an "
                "emergency: call us now.</p>",
            ),
        ),
    ],
)

ROOF = Question(
    "What is the problem with the roof or gutters?",
    slug="roof-and-gutters",
    answers=[
        ("Tiles, slates or something else could fall from the roof", "unsafe_structure"),
        (
            "The roof is leaking into my home",
            _bookable(
                "Report a leaking roof",
                "A roof leaking into the home",
                "RF",
                "M",
                "UR",
                body="<p>Put a bucket or bowl under the drip and move anything that could be damaged.</p>",
            ),
        ),
        (
            "A gutter or drainpipe is blocked, overflowing or broken",
            _bookable(
                "Report a blocked or broken gutter",
                "A blocked, overflowing or broken gutter or drainpipe",
                "RF",
                "S",
                "RO",
                body=BOOKABLE_BODY,
            ),
        ),
    ],
)

IN_HOME = Question(
    "What needs repairing in your home?",
    slug="in-your-home",
    answers=[
        ("Leaks, taps, toilets and plumbing", LEAKS),
        ("Heating and hot water", HEATING),
        ("Electrics, lights and sockets", ELECTRICS),
        ("Doors and windows", DOORS_AND_WINDOWS),
        ("Kitchen", KITCHEN),
        ("Bathroom", BATHROOM),
        ("Damp and mould", DAMP),
        ("Roof and gutters", ROOF),
        ("A ceiling, wall or floor looks like it could collapse", "unsafe_structure"),
        ("Something else", "something_else"),
    ],
)

LIFTS = Question(
    "What is the problem with the lift?",
    slug="lifts",
    answers=[
        ("Someone is trapped in the lift", "lift_trapped"),
        (
            "The lift is not working at all",
            _communal(
                "Report a lift that is not working",
                "A lift that is not working",
                "LF",
                "M",
                "UR",
                body="<p>We aim to fix a lift that is not working within 5 working days, and lift engineers "
                "often visit sooner. If you cannot get in or out of your home without the lift, call us so we "
                "can help in the meantime.</p>",
            ),
        ),
        (
            "The lift works but is damaged, noisy or the doors are slow",
            _communal(
                "Report a damaged or noisy lift",
                "A damaged or noisy lift",
                "LF",
                "S",
                "RO",
                body=BOOKABLE_BODY,
            ),
        ),
    ],
)

DOOR_ENTRY = Question(
    "What is the problem with the door entry?",
    slug="door-entry",
    answers=[
        (
            "The main entrance door will not close or lock",
            _communal(
                "Report an entrance door that will not lock",
                "A main entrance door that will not close or lock",
                "DE",
                "M",
                "UR",
                body=BOOKABLE_BODY,
            ),
        ),
        (
            "The intercom, buzzer or fob reader does not work",
            _communal(
                "Report a broken door entry system",
                "An intercom, buzzer or fob reader that does not work",
                "DE",
                "S",
                "UR",
                body=BOOKABLE_BODY,
            ),
        ),
    ],
)

LIGHTING = Question(
    "Where are the lights not working?",
    slug="lighting",
    answers=[
        (
            "In a stairwell, corridor or entrance hall",
            _communal(
                "Report communal lights not working",
                "Lights out in a stairwell, corridor or entrance hall",
                "EL",
                "S",
                "UR",
                body=BOOKABLE_BODY,
            ),
        ),
        (
            "Outside, on paths, car parks or the estate",
            _communal(
                "Report estate lighting not working",
                "Outside lighting not working on the estate",
                "EL",
                "S",
                "RO",
                body=BOOKABLE_BODY,
            ),
        ),
    ],
)

BIN_STORES = Question(
    "What is the problem with the bin store?",
    slug="bin-stores",
    answers=[
        (
            "The bin chute is blocked",
            _communal(
                "Report a blocked bin chute", "A blocked bin chute", "GB", "S", "UR", body=BOOKABLE_BODY
            ),
        ),
        (
            "The bin store door or lock is broken",
            _communal(
                "Report a broken bin store door",
                "A broken bin store door or lock",
                "CA",
                "S",
                "RO",
                body=BOOKABLE_BODY,
            ),
        ),
        (
            "The bins have not been emptied, or rubbish has been dumped",
            Outcome(
                title="Report missed bins or dumped rubbish to waste services",
                slug="missed-bins",
                kind=OutcomeType.NOT_OUR_RESPONSIBILITY,
                location=RepairLocation.COMMUNAL,
                summary="Bin collections and dumped rubbish are dealt with by the council's waste services, "
                "not the repairs team.",
                body="<p>Report missed collections or fly-tipping on the council's website or by calling the "
                "council's main number.</p>",
            ),
        ),
    ],
)

STAIRWELLS = Question(
    "What is the problem in the stairwell or corridor?",
    slug="stairwells",
    answers=[
        (
            "A handrail or banister is loose or missing",
            _communal(
                "Report a loose handrail", "A loose or missing handrail", "CA", "S", "UR", body=BOOKABLE_BODY
            ),
        ),
        (
            "Damaged flooring or something people could trip on",
            _communal(
                "Report a trip hazard",
                "Damaged flooring or a trip hazard",
                "GB",
                "S",
                "UR",
                body=BOOKABLE_BODY,
            ),
        ),
        (
            "A window in the stairwell is broken",
            _communal(
                "Report a broken stairwell window",
                "A broken window in a stairwell",
                "GL",
                "S",
                "UR",
                body=BOOKABLE_BODY,
            ),
        ),
    ],
)

COMMUNAL_HEATING = Question(
    "What is the problem with the communal heating?",
    slug="communal-heating",
    answers=[
        ("Nobody in the building has heating or hot water", "communal_heating_off"),
        (
            "A radiator or pipe in a shared area is leaking",
            _communal(
                "Report a leaking communal radiator or pipe",
                "A leaking radiator or pipe in a shared area",
                "HE",
                "S",
                "UR",
                body=BOOKABLE_BODY,
            ),
        ),
    ],
)

COMMUNAL = Question(
    "What needs repairing in the shared area?",
    slug="in-a-shared-area",
    answers=[
        ("Lifts", LIFTS),
        ("Door entry, intercom or main entrance door", DOOR_ENTRY),
        ("Lighting", LIGHTING),
        ("Bin stores and bin chutes", BIN_STORES),
        ("Stairwells and corridors", STAIRWELLS),
        ("Communal heating", COMMUNAL_HEATING),
        ("Something is unsafe and could fall or collapse", "unsafe_structure"),
        ("Something else", "something_else"),
    ],
)

ROOT = Question(
    "Where is the problem?",
    slug="where-is-the-problem",
    error="Select where the problem is",
    answers=[
        ("In my home", IN_HOME),
        ("In a shared area of my building or estate, such as a stairwell, lift or bin store", COMMUNAL),
    ],
)


def _still_need_repair() -> tuple[str, dict]:
    return (
        "still_need_repair",
        {"heading": "If this has not fixed the problem", "link_text": "Report a repair"},
    )


GUIDES = [
    Guide(
        title="How to bleed a radiator",
        slug="bleed-a-radiator",
        intro="If a radiator is cold at the top and warm at the bottom, letting out trapped air usually fixes it.",
        blocks=[
            (
                "paragraph",
                "<p>You will need a radiator key and an old cloth. Radiator keys are sold in DIY shops "
                "and hardware stores.</p>",
            ),
            (
                "warning_text",
                {
                    "text": "Turn the heating off and let the radiators cool down first. The water "
                    "inside can be hot enough to burn."
                },
            ),
            (
                "steps",
                {
                    "heading": "Bleed the radiator",
                    "steps": [
                        "<p>Turn off your heating and wait until the radiators are cool.</p>",
                        "<p>Find the bleed valve. It is a small square inside a round fitting at one of the top corners "
                        "of the radiator.</p>",
                        "<p>Hold the cloth under the valve. Put the key on the valve and turn it slowly anticlockwise, "
                        "about a quarter of a turn.</p>",
                        "<p>You will hear a hiss as the air comes out. When water starts to drip out, turn the key "
                        "clockwise to close the valve.</p>",
                        "<p>Turn your heating back on. After an hour, check the radiator is warm all over.</p>",
                    ],
                },
            ),
            (
                "details",
                {
                    "summary": "If your boiler pressure is low after bleeding",
                    "text": "<p>Bleeding can "
                    "lower the pressure in your boiler. If the pressure gauge on your boiler shows less than 1, check the "
                    "instructions on or near the boiler for topping it up, or call us.</p>",
                },
            ),
            (
                "inset_text",
                {
                    "text": "<p>If every radiator is cold, or the radiator is cold at the bottom, bleeding "
                    "will not help: report a repair.</p>"
                },
            ),
            _still_need_repair(),
        ],
    ),
    Guide(
        title="How to reset a tripped switch in your fuse box",
        slug="reset-a-tripped-switch",
        intro="When some lights or sockets stop working, a switch in your fuse box has usually turned itself off "
        "to keep you safe.",
        blocks=[
            (
                "warning_text",
                {
                    "text": "Do not touch the fuse box if it is wet, damaged, hot or smells of burning. "
                    "Call us on the emergency number instead."
                },
            ),
            (
                "steps",
                {
                    "heading": "Reset the switch",
                    "steps": [
                        "<p>Find your fuse box, also called a consumer unit. It is often near the front door, under the "
                        "stairs or in a cupboard.</p>",
                        "<p>Look for a switch that is pointing down, or pointing the other way to the rest.</p>",
                        "<p>Unplug everything on that circuit. For sockets, unplug everything in the rooms that have "
                        "no power.</p>",
                        "<p>Push the switch back up to on.</p>",
                        "<p>Plug things back in one at a time. If the switch trips again straight after you plug "
                        "something in, that appliance is faulty: stop using it.</p>",
                    ],
                },
            ),
            (
                "details",
                {
                    "summary": "If the switch will not stay on",
                    "text": "<p>If the switch trips again with "
                    "everything unplugged, there is a fault in the wiring. Leave it off and report a repair.</p>",
                },
            ),
            _still_need_repair(),
        ],
    ),
    Guide(
        title="How to reduce condensation and treat small patches of mould",
        slug="reduce-condensation",
        intro="Condensation is water from the air settling on cold walls and windows. Over time it can cause "
        "mould.",
        blocks=[
            (
                "paragraph",
                "<p>Everyday things like cooking, showers and drying clothes put a lot of water into "
                "the air. Letting it out, and keeping your home warm, stops condensation building up.</p>",
            ),
            (
                "steps",
                {
                    "heading": "Reduce condensation",
                    "steps": [
                        "<p>Put lids on pans when cooking and use the extractor fan or open a window.</p>",
                        "<p>Close the kitchen or bathroom door while cooking or showering, and leave the fan on for "
                        "15 minutes afterwards.</p>",
                        "<p>Dry clothes outside if you can. If you dry them indoors, do it in one room with the door "
                        "closed and a window open.</p>",
                        "<p>Open trickle vents on windows, or open windows for a short time each day.</p>",
                        "<p>Leave a small gap between furniture and outside walls so air can move.</p>",
                        "<p>Wipe water off windows and sills every morning.</p>",
                    ],
                },
            ),
            (
                "steps",
                {
                    "heading": "Treat a small patch of mould",
                    "steps": [
                        "<p>Wear rubber gloves and open a window.</p>",
                        "<p>Wipe the mould off with a mould spray that carries a Health and Safety Executive approval "
                        "number, following the instructions on the bottle.</p>",
                        "<p>Do not brush or vacuum mould: it spreads the spores into the air.</p>",
                    ],
                },
            ),
            (
                "warning_text",
                {
                    "text": "If mould keeps coming back, covers a large area, or anyone in your home "
                    "has breathing problems, report it to us. We must investigate damp and mould quickly."
                },
            ),
            _still_need_repair(),
        ],
    ),
]

EMERGENCY_BLOCKS = [
    (
        "paragraph",
        "<p>An emergency is something that puts people at risk or could cause serious damage to your "
        "home. Do not report emergencies online: call us straight away, day or night.</p>",
    ),
    ("heading", "Emergencies include"),
    (
        "paragraph",
        "<ul><li>a smell of gas</li><li>flooding or water you cannot stop</li><li>no electricity, or "
        "dangerous electrics</li><li>something that could fall or collapse</li><li>a front door or window that will "
        "not lock</li><li>someone trapped in a lift</li></ul>",
    ),
    ("warning_text", {"text": "If anyone is hurt or in immediate danger, call 999."}),
]


# --- Loading ----------------------------------------------------------------------------------------


@dataclass
class LoadResult:
    created: list[str] = field(default_factory=list)

    def note(self, page: Page) -> None:
        self.created.append(f"{page.specific_class._meta.verbose_name}: {page.title}")


def ensure_reference_data() -> tuple[dict[str, Trade], dict[str, Priority]]:
    """Trades and priorities the starter outcomes use, found or made by code (declared in repairs.defaults)."""
    return ensure_defaults(Trade, Priority)


def _stream(blocks: list[tuple[str, object]]) -> str:
    """StreamField content in its stored JSON form, which Wagtail converts to blocks itself. List items
    (a guide's steps) are stored with ids, as the page editor saves them, so they can be translated."""
    return json.dumps([{"type": kind, "value": _with_item_ids(value)} for kind, value in blocks])


def _with_item_ids(value: object) -> object:
    if isinstance(value, dict) and isinstance(value.get("steps"), list):
        steps = [{"type": "item", "value": step, "id": str(uuid.uuid4())} for step in value["steps"]]
        return {**value, "steps": steps}
    return value


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def ensure_tree_root() -> Page:
    """Wagtail's root page and default locale, made by its migrations; recreated if a database was emptied."""
    Locale.objects.get_or_create(language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE))
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(
            instance=Page(title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page))
        )
    return root


def _child(parent: Page, slug: str) -> Page | None:
    found = parent.get_children().filter(slug=slug).first()
    return found.specific if found else None


class _Loader:
    def __init__(self, result: LoadResult) -> None:
        self.result = result
        self.trades, self.priorities = ensure_reference_data()
        self.guides: dict[str, SelfHelpPage] = {}
        self.shared: dict[str, OutcomePage] = {}

    def add(self, parent: Page, page: Page) -> Page:
        parent.add_child(instance=page)
        self.result.note(page)
        return _publish(page)

    def home(self) -> HomePage:
        site = Site.objects.filter(is_default_site=True).first() or Site.objects.first()
        root = ensure_tree_root()
        existing = HomePage.objects.first()
        if existing is None:
            existing = HomePage(
                title="Housing repairs",
                slug="home",
                intro="<p>Report a repair to your council home or the shared areas of your building, find out how "
                "to fix some problems yourself, and get help in an emergency.</p>",
            )
            welcome = root.get_children().exclude(content_type__model="homepage").filter(slug="home").first()
            if welcome is not None:
                welcome.slug = "wagtail-welcome"
                welcome.save(update_fields=["slug"])
            self.add(root, existing)
        if site is None:
            Site.objects.create(
                hostname="localhost", root_page=existing, is_default_site=True, site_name="Repairs"
            )
        elif site.root_page_id != existing.pk:
            old_root = site.root_page
            site.root_page = existing
            site.save()
            if old_root.specific_class is Page and old_root.pk != existing.pk and not old_root.get_children():
                old_root.delete()  # Wagtail's "Welcome to your new Wagtail site!" page
        return existing

    def guide(self, home: HomePage, spec: Guide, start: DiagnosisStartPage) -> SelfHelpPage:
        page = _child(home, spec.slug)
        if page is None:
            body = []
            for kind, value in spec.blocks:
                if kind == "still_need_repair":
                    value = {**value, "page": start.pk, "text": "You can report a repair to us."}
                body.append((kind, value))
            page = self.add(
                home, SelfHelpPage(title=spec.title, slug=spec.slug, intro=spec.intro, body=_stream(body))
            )
        return page

    def outcome(self, parent: Page, spec: Outcome) -> OutcomePage:
        slug = spec.slug or slugify(spec.title)[:80]
        page = _child(parent, slug)
        if page is None:
            page = self.add(
                parent,
                OutcomePage(
                    title=spec.title,
                    slug=slug,
                    outcome_type=spec.kind,
                    location=spec.location,
                    summary=spec.summary,
                    body=spec.body,
                    trade=self.trades.get(spec.trade),
                    job_size=spec.size,
                    priority=self.priorities.get(spec.priority),
                    self_help_page=self.guides.get(spec.guide),
                    emergency_line=spec.emergency_line,
                    hazard_kind=HazardKind.objects.filter(code=spec.hazard).first() if spec.hazard else None,
                    asks_about_household=spec.asks_household,
                ),
            )
        return page

    def question(self, parent: Page, spec: Question) -> QuestionPage:
        slug = spec.slug or slugify(spec.title)[:80]
        page = _child(parent, slug)
        created = page is None
        if created:
            parent.add_child(
                instance=(
                    page := QuestionPage(
                        title=spec.title, slug=slug, hint=spec.hint, error_message=spec.error
                    )
                )
            )
            self.result.note(page)
        targets = [self.target(page, target) for _, target in spec.answers]
        if created:
            for order, ((label, _), target) in enumerate(zip(spec.answers, targets, strict=True)):
                page.answers.add(Answer(label=label, next_page=target, sort_order=order))
            _publish(page)
        return page

    def target(self, parent: Page, target: Question | Outcome | str) -> Page:
        if isinstance(target, str):
            return self.shared[target]
        if isinstance(target, Question):
            return self.question(parent, target)
        return self.outcome(parent, target)


@transaction.atomic
def load_starter_content() -> LoadResult:
    result = LoadResult()
    loader = _Loader(result)
    home = loader.home()
    start = _child(home, "report-a-repair")
    if start is None:
        start = loader.add(
            home,
            DiagnosisStartPage(
                title="Report a repair",
                slug="report-a-repair",
                intro="<p>Use this service to report a repair in your council home or in a shared area of your "
                "building or estate, such as a stairwell, lift or bin store.</p>"
                "<p>We will ask a few questions to work out what the problem is and who needs to fix it. "
                "It takes about 5 minutes.</p>",
            ),
        )
    if _child(home, "emergencies") is None:
        loader.add(
            home,
            EmergencyAdvicePage(
                title="Emergency repairs",
                slug="emergencies",
                intro="Call us now if there is a risk to anyone's safety or of serious damage to your home.",
                body=_stream(EMERGENCY_BLOCKS),
            ),
        )
    for spec in GUIDES:
        loader.guides[spec.slug] = loader.guide(home, spec, start)
    for key, spec in SHARED_OUTCOMES.items():
        loader.shared[key] = loader.outcome(start, spec)
    first = loader.question(start, ROOT)
    if start.first_question_id is None:
        start.first_question = first
        _publish(start)
    return result
