"""The published Awaab's Law timescales, with their sources: the one place the figures are written.

The Hazards in Social Housing (Prescribed Requirements) (England) Regulations 2025, SI 2025/1042,
made under section 10A of the Landlord and Tenant Act 1985 (inserted by section 42 of the Social
Housing (Regulation) Act 2023), in force from 27 October 2025 for emergency hazards and for
significant damp and mould hazards (phase 1).

The regulations' own text (legislation.gov.uk/uksi/2025/1042) could not be opened from where this was
written (December 2026: the page is in none of the reference stores searched). The regulation numbers
below are as cited by published summaries (awaabslawguide.co.uk's timescales and 24-hour rule pages,
Nearly Legal's phase 1 overview of 27 October 2025, Bevan Brittan's note of 30 June 2025, PIB Risk
Management) and the figures agree across them and with the government's draft guidance of 25 June
2025. Two points rest on short quotations of the regulations in awaabslawguide.co.uk, unchecked against
the instrument: a working day is "any day that is not a Saturday, a Sunday, or a public bank holiday in
England" (so the council's closure days count, see `clocks`), and reg 5's emergency safety work is due
"within 24 hours of the relevant safety work being identified by an investigation". The figures are
therefore defaults an administrator can correct: the data migration copies them into `HazardKind` rows
(admin: Repairs set-up → Hazard kinds), and the clocks read those rows, never this module. Nothing here
overwrites an edit.

Plain values only, so migrations can use them with historical models.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SOURCE = "The Hazards in Social Housing (Prescribed Requirements) (England) Regulations 2025, SI 2025/1042"

# Day 0 is when the landlord becomes aware of the potential hazard: the first report by any channel
# (the regulation number for awareness is not confirmed here).
# Working days exclude weekends and bank holidays in England (the same days as Wales), and nothing else:
# the council's closure days are working days for these clocks (the regulations' definition, as quoted
# above).

# Emergency hazard: investigate within 24 hours of becoming aware (reg 4, as cited), and do the
# relevant safety work as soon as reasonably practicable and in any event within 24 hours (reg 5).
# Published readings differ on when reg 5's 24 hours start: Bevan Brittan's note on the draft guidance
# reads both from awareness; awaabslawguide.co.uk quotes reg 5 as counting from the safety work "being
# identified by an investigation", and PIB Risk Management agrees. Until the instrument is checked the
# default keeps the stricter reading (from awareness: a landlord meeting it meets the other too, but
# compliance figures may call late what the law would not); `safety_works_from` = "investigation"
# follows the quoted words.
EMERGENCY_INVESTIGATION_HOURS = 24  # reg 4 (as cited)
EMERGENCY_SAFETY_WORK_HOURS = 24  # reg 5

# Significant hazard (phase 1: damp, mould and fungal growth).
SIGNIFICANT_INVESTIGATION_WORKING_DAYS = 10  # reg 6: from becoming aware
WRITTEN_SUMMARY_WORKING_DAYS = 3  # reg 9: from the day the investigation concludes
SIGNIFICANT_SAFETY_WORK_WORKING_DAYS = 5  # reg 11(2)(a): from the day the investigation concludes
# Relevant supplementary preventative work (reg 12(5)): begin within 5 working days of the
# investigation concluding (reg 13(2)); where that is not reasonably practicable, begin as soon as it
# is and within 12 weeks (reg 13(3)(b)), the reason recorded; complete within a reasonable period (reg 13(4)).
PREVENTATIVE_START_WORKING_DAYS = 5  # reg 13(2)
PREVENTATIVE_LONGEST_DAYS = 12 * 7  # reg 13(3)(b): 12 weeks
# If the home cannot be made safe within the time, suitable alternative accommodation is offered at
# the landlord's expense (the regulations' alternative accommodation duty; its number is not
# confirmed here). Recorded on the case; no clock of its own.

REGULATION_NOTES = {
    "investigation": "Emergency: reg 4 (as cited), 24 hours from awareness. "
    "Significant: reg 6, 10 working days.",
    "summary": "Reg 9: a written summary of the findings within 3 working days of the investigation.",
    "safety_works": "Emergency: reg 5, 24 hours. "
    "Significant: reg 11(2)(a), 5 working days from the investigation.",
    "preventative_works": "Reg 13(2): begin within 5 working days; "
    "reg 13(3)(b): at most 12 weeks, reason recorded.",
}


@dataclass(frozen=True)
class DefaultHazardKind:
    code: str
    name: str
    track: str  # "emergency" or "significant"
    priorities: tuple[str, ...]  # priority codes (repairs.defaults) whose reports open a case of this kind
    investigation: tuple[int, str]
    summary: tuple[int, str]
    safety_works: tuple[int, str]
    safety_works_from: str  # "aware" or "investigation"
    preventative: tuple[int, str]
    preventative_longest: tuple[int, str]
    emergency_kind: str = ""  # code of the kind a case is raised to when treated as an emergency

    def fields(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "track": self.track,
            "investigation_value": self.investigation[0],
            "investigation_unit": self.investigation[1],
            "summary_value": self.summary[0],
            "summary_unit": self.summary[1],
            "safety_works_value": self.safety_works[0],
            "safety_works_unit": self.safety_works[1],
            "safety_works_from": self.safety_works_from,
            "preventative_value": self.preventative[0],
            "preventative_unit": self.preventative[1],
            "preventative_longest_value": self.preventative_longest[0],
            "preventative_longest_unit": self.preventative_longest[1],
        }


WD, HOURS, DAYS = "working_days", "hours", "days"

HAZARD_KINDS: tuple[DefaultHazardKind, ...] = (
    DefaultHazardKind(
        code="emergency-hazard",
        name="Emergency hazard",
        track="emergency",
        priorities=("DME",),
        investigation=(EMERGENCY_INVESTIGATION_HOURS, HOURS),
        summary=(WRITTEN_SUMMARY_WORKING_DAYS, WD),
        safety_works=(EMERGENCY_SAFETY_WORK_HOURS, HOURS),
        safety_works_from="aware",
        preventative=(PREVENTATIVE_START_WORKING_DAYS, WD),
        preventative_longest=(PREVENTATIVE_LONGEST_DAYS, DAYS),
    ),
    DefaultHazardKind(
        code="damp-and-mould",
        name="Damp and mould",
        track="significant",
        priorities=("DMI",),
        investigation=(SIGNIFICANT_INVESTIGATION_WORKING_DAYS, WD),
        summary=(WRITTEN_SUMMARY_WORKING_DAYS, WD),
        safety_works=(SIGNIFICANT_SAFETY_WORK_WORKING_DAYS, WD),
        safety_works_from="investigation",
        preventative=(PREVENTATIVE_START_WORKING_DAYS, WD),
        preventative_longest=(PREVENTATIVE_LONGEST_DAYS, DAYS),
        emergency_kind="emergency-hazard",
    ),
)


def ensure_hazard_kinds(kind_model, priority_model) -> dict[str, Any]:
    """The default hazard kinds by code, creating any that are missing (existing rows stay as edited).
    Takes the models so a migration can pass its historical ones."""
    kinds, made = {}, set()
    for spec in HAZARD_KINDS:
        kind, created = kind_model.objects.get_or_create(code=spec.code, defaults=spec.fields())
        if created:
            kind.priorities.set(priority_model.objects.filter(code__in=spec.priorities))
            made.add(spec.code)
        kinds[spec.code] = kind
    for spec in HAZARD_KINDS:
        kind = kinds[spec.code]
        if spec.emergency_kind and spec.code in made:
            kind.emergency_kind = kinds[spec.emergency_kind]
            kind.save(update_fields=["emergency_kind"])
    return kinds
