"""The sections of the report's template "INDIVIDUELL PLAN FOR INTEGRERT ETTERVERN", as the
data migration writes them, and `ensure_template` for a database emptied after migrating."""

from __future__ import annotations

from typing import Any

TEMPLATE = [
    # key, English title, Norwegian title, plain English, plain Norwegian, owner roles, contact
    ("housing", "Stable housing", "Plan for stabile boforhold",
     "Where you will live", "Hvor du skal bo",
     "team:municipal_contact team:nav_contact", ""),
    ("finances", "Financial matters", "Økonomiske forhold",
     "Money and finances", "Penger og økonomi",
     "team:nav_contact team:municipal_contact", ""),
    ("functioning", "Level of functioning and sense of mastery",
     "Funksjonsnivå og mestringsfølelse",
     "How you are doing and what you master", "Hvordan du har det og hva du mestrer",
     "team:specialist_contact unit:treating team:municipal_contact", ""),
    ("specialist_followup", "Follow-up from specialist care",
     "Oppfølging fra spesialisthelsetjenesten",
     "Follow-up from the hospital", "Oppfølging fra sykehuset",
     "team:specialist_contact unit:treating", "specialist_contact"),
    ("networks", "Networks and activities", "Nettverk og aktivitetstilbud",
     "People and activities", "Folk rundt deg og aktiviteter",
     "team:municipal_contact team:nav_contact", ""),
    ("next_of_kin", "Offers to next of kin", "Tilbud til pårørende",
     "Help for your family and friends", "Hjelp til familie og venner",
     "team:specialist_contact team:municipal_contact", ""),
    ("dental_gp", "Dental health and GP follow-up", "Tannhelse og fastlegeoppfølging",
     "Teeth and your GP", "Tenner og fastlegen din",
     "team:gp", ""),
    ("municipal_followup", "Follow-up from the municipality", "Oppfølging fra kommunen",
     "Follow-up from the municipality", "Oppfølging fra kommunen",
     "team:municipal_contact", "municipal_contact"),
]



def ensure_template(section_type: Any = None) -> None:
    """Write the template's sections where they are missing or differ (idempotent). The data
    migration calls it with its historical model; the demo calls it because a database can be
    emptied after migrating (the test suite's flush), and a plan needs its sections."""
    if section_type is None:
        from ettervern.planning.plan.models import SectionType as section_type
    for position, (key, title_en, title_nb, plain_en, plain_nb, owners, contact) in enumerate(
            TEMPLATE, start=1):
        section_type.objects.update_or_create(key=key, defaults={
            "position": position * 10, "title_en": title_en, "title_nb": title_nb,
            "plain_en": plain_en, "plain_nb": plain_nb, "owner_roles": owners,
            "contact_role": contact})
