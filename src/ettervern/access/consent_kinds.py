"""The kinds of information a patient can share with a next of kin or trust person.

A kind is data: a code (stored on the consent and named in the basis, `consent:<code>`), a
label for staff, a plain label for the patient and next of kin, and the read actions it opens.
A later capability adds its kind with one line at the bottom of KINDS, e.g.

    ConsentKind("meetings", _("Meetings"), _("Your meetings"), frozenset({"meeting.view"}),
                "meetings:list"),

The access policy builds its `consent:*` roles from this list, the fast access path and the
worklist ask for every code in it, and the services refuse codes that are not here. Removing
a kind leaves its stored consents without effect (they permit nothing).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Read actions a consent can open (defined here so that policy.py can import them).
VIEW = "pathway.view"
PLAN_VIEW = "plan.view"
CRISIS_VIEW = "crisisplan.view"
MAPPING_VIEW = "mapping.view"
# The user-controlled bed agreements and their bookings (beds/).
BEDS_VIEW = "beds.view"
# The pathway's meetings: cooperation meetings, follow-up meetings, network meetings (meetings/).
MEETING_VIEW = "meeting.view"


@dataclass(frozen=True)
class ConsentKind:
    code: str
    label: str | Promise
    plain_label: str | Promise
    actions: frozenset[str]
    # The page that shows it (a URL name taking the pathway's public id), linked from what a
    # next of kin sees; empty: no page of its own.
    page: str = ""


KINDS: tuple[ConsentKind, ...] = (
    ConsentKind("pathway", _("Pathway overview"), _("Where things stand, who helps you"),
                frozenset({VIEW}), "pathways:pathway"),
    ConsentKind("plan", _("Individual plan"), _("Your plan"), frozenset({PLAN_VIEW}),
                "planning:plan"),
    ConsentKind("crisis_plan", _("Crisis plan"), _("Your crisis plan"),
                frozenset({CRISIS_VIEW}), "planning:crisis_plan"),
    ConsentKind("mapping", _("Mapping"), _("Your mapping (how things are going)"),
                frozenset({MAPPING_VIEW}), "planning:mapping_overview"),
    ConsentKind("beds", _("User-controlled bed"), _("Your user-controlled bed"),
                frozenset({BEDS_VIEW}), "beds:pathway_beds"),
    ConsentKind("meetings", _("Meetings"), _("Your meetings"), frozenset({MEETING_VIEW}),
                "meetings:pathway_meetings"),
)

BY_CODE: dict[str, ConsentKind] = {kind.code: kind for kind in KINDS}
CODES: tuple[str, ...] = tuple(BY_CODE)
# The longest code the database column holds (patients.Consent.kind).
CODE_MAX_LENGTH = 32


def kind_get(code: str) -> ConsentKind | None:
    return BY_CODE.get(code)
