"""The demo's individual plan: written over three weeks by the care team, through the services,
with the clock frozen at each save, so every role sees a plan with a history (several versions
by different people), a patient's comment and an agreement that a later change asks again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from ettervern.access.policy import Actor
from ettervern.catalogue.models import Level, Offer
from ettervern.catalogue.selectors import offers_for
from ettervern.core import clock
from ettervern.directory.models import Staff
from ettervern.pathways.models import CareTeamMember, Pathway
from ettervern.planning.plan import services
from ettervern.planning.plan.models import Plan
from ettervern.planning.plan.sections import ensure_template


def _at(day: dt.date, hour: int) -> Any:
    return clock.frozen(timezone.make_aware(dt.datetime.combine(day, dt.time(hour))))


def _member(pathway: Pathway, role: str) -> Staff | None:
    found = pathway.team.filter(role=role, ended_at__isnull=True).select_related("staff").first()
    return found.staff if found else None


def _offer(pathway: Pathway, level: str, name: str) -> Offer | None:
    """An offer of the catalogue's starting table, if the database still has it (a database
    emptied after migrating has none: the measure is then free text only)."""
    return offers_for(pathway, level=level).filter(name=name).first()


def demo_plan(pathway: Pathway, *, patient_user: Any, today: dt.date) -> Plan:
    """A plan for `pathway` whose patient signs in as `patient_user`."""
    coordinator = pathway.coordinator
    assert coordinator is not None
    municipal = _member(pathway, CareTeamMember.Role.MUNICIPAL_CONTACT) or coordinator
    nav = _member(pathway, CareTeamMember.Role.NAV_CONTACT) or coordinator
    gp = _member(pathway, CareTeamMember.Role.GP) or coordinator
    specialist = _member(pathway, CareTeamMember.Role.SPECIALIST_CONTACT) or coordinator
    by = {staff.pk: Actor(user=staff.user, channel="cli")
          for staff in (coordinator, municipal, nav, gp, specialist)}
    patient = Actor(user=patient_user, channel="cli")
    ensure_template()
    day = dt.timedelta(days=1)
    start = today - 12 * day

    with _at(start, 10):
        plan = services.plan_create(actor=by[coordinator.pk], pathway=pathway)
    with _at(start, 11):
        plan = services.plan_update(
            actor=by[coordinator.pk], plan=plan, expected_version=plan.version,
            coordinator=coordinator, period_start=start, period_end=start + 180 * day,
            next_revision_on=today + 30 * day,
            goals="Jeg vil ha et sted å bo som er mitt, og klare meg uten rus.",
            resources="Moren min. Jeg er god med hendene og har hatt jobb som snekker.",
            needs="Bolig, hjelp med gjeld, noen å snakke med når det blir tungt.",
            patient_contribution="Møte til avtalene og si fra tidlig hvis det går dårlig.",
            services_contribution="Fast kontaktperson i kommunen og poliklinikken.",
            next_of_kin_contribution="Mor blir med på nettverksmøtet etter utskrivelse.")
    # Measures in free text, or linking an offer of the catalogue (with or without text).
    saves = [
        (start + 2 * day, municipal, "housing", "Søke kommunal bolig med oppfølging i "
         "hjemmet.", _offer(pathway, Level.MUNICIPALITY,
                            "Bolig til vanskeligstilte på boligmarkedet"), 30),
        (start + 3 * day, nav, "finances", "Gjeldsrådgivning hos NAV og søknad om "
         "økonomisk sosialhjelp i overgangen.", _offer(pathway, Level.NAV,
                                                       "Økonomisk rådgivning"), 60),
        (start + 5 * day, specialist, "specialist_followup", "Samtaler ved poliklinikken hver "
         "uke de første tre månedene.", None, 90),
        (start + 6 * day, gp, "dental_gp", "Time hos fastlegen to uker etter utskrivelse; "
         "henvisning til tannbehandling.", None, 120),
    ]
    # An offer alone says what the measure is: a group for the mother.
    kin_group = _offer(pathway, Level.NEXT_OF_KIN, "Pårørendegrupper")
    if kin_group is not None:
        saves.append((start + 6 * day, specialist, "next_of_kin", "", kin_group, 90))
    for when, who, section, text, offer, length in saves:
        with _at(when, 13):
            current = Plan.objects.get(pk=plan.pk)
            current.pathway = pathway
            services.measure_add(actor=by[who.pk], plan=current, expected_version=current.version,
                                 section=section, description=text, offer=offer,
                                 responsible=who, start_on=when + 7 * day,
                                 end_on=when + length * day)
    with _at(start + 7 * day, 9):
        current = Plan.objects.get(pk=plan.pk)
        current.pathway = pathway
        services.section_update(actor=by[municipal.pk], plan=current, section="housing",
                                expected_version=current.version,
                                goals="Egen leilighet i nærheten av mor.")
    with _at(start + 8 * day, 18):
        current = Plan.objects.get(pk=plan.pk)
        current.pathway = pathway
        services.plan_comment(actor=patient, plan=current,
                              text="Jeg vil gjerne prøve treningsgruppa i kommunen også.")
        services.plan_agree(actor=patient, plan=current, expected_version=current.version)
    # A change after the agreement: the patient is asked again.
    with _at(start + 10 * day, 10):
        current = Plan.objects.get(pk=plan.pk)
        current.pathway = pathway
        services.measure_add(actor=by[municipal.pk], plan=current,
                             expected_version=current.version, section="networks",
                             description="Treningsgruppe i kommunen to ganger i uken.",
                             offer=_offer(pathway, Level.MUNICIPALITY,
                                          "Arbeids- og aktivitetstilbud"),
                             responsible=municipal, start_on=today + 14 * day)
    return Plan.objects.get(pk=plan.pk)
