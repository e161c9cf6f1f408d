"""A crisis plan for a demo pathway, written through the service as the coordinator."""

from __future__ import annotations

from ettervern.access.policy import Actor
from ettervern.directory.models import Staff
from ettervern.pathways.models import Pathway
from ettervern.planning.crisis.models import CrisisPlan
from ettervern.planning.crisis.services import ContactData, crisisplan_save


def demo_crisis_plan(pathway: Pathway, *, by: Staff) -> CrisisPlan:
    return crisisplan_save(
        actor=Actor(user=by.user, channel="cli"), pathway=pathway, expected_version=0,
        warning_signs="Jeg sover dårlig flere netter på rad.\nJeg trekker meg unna venner og "
                      "slutter å svare på telefonen.\nJeg tenker mye på å ruse meg.",
        own_actions="Ringer kontaktpersonen min i kommunen.\nGår en tur og spiser et ordentlig "
                    "måltid.\nFjerner meg fra steder og folk som frister.",
        others_actions="Mamma tar kontakt og spør hvordan det går.\nKommunen kan komme på "
                       "hjemmebesøk samme dag.\nPoliklinikken gir meg time innen en uke.",
        bed="Avtale om brukerstyrt seng ved døgnavdelingen: inntil 5 døgn, ring avdelingen "
            "direkte. Avtalen gjelder i 12 måneder etter utskrivelse.",
        contacts=[
            ContactData("Kontaktperson i kommunen", "412 34 567", "Hverdager 8–16"),
            ContactData("Døgnavdelingen (brukerstyrt seng)", "22 11 33 44",
                        "Når jeg trenger noen døgn borte fra alt"),
            ContactData("Legevakt", "116 117", "Kvelder, netter og helger"),
        ],
    )
