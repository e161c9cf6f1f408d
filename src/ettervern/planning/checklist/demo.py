"""A checklist in progress on the demo coordinator's pathways (demo data only).

Works through the services, as the people on each care team would: the coordinator assigns
owners and clarifies what the clinic answers for; the municipal contact clarifies the housing
item they own. Every change is audited like any other. Only items nobody has touched are
changed, so running it again changes nothing.
"""

from __future__ import annotations

from typing import Any

from ettervern.access.policy import Actor
from ettervern.directory.models import Staff
from ettervern.pathways.models import CareTeamMember, Pathway
from ettervern.planning.checklist.models import ChecklistItem
from ettervern.planning.checklist.services import checklist_item_update

S = ChecklistItem.Status
# key -> (who owns it: a care-team role or "coordinator", status, note)
PROGRESS: dict[str, tuple[str, str, str]] = {
    "care-duties-children": ("coordinator", S.NOT_RELEVANT, "Ingen barn under 18 år."),
    "pets": ("coordinator", S.CLARIFIED, "Søsteren passer katten under oppholdet."),
    "allergies": ("coordinator", S.CLARIFIED, "Penicillinallergi, meldt til døgnavdelingen."),
    "housing": (CareTeamMember.Role.MUNICIPAL_CONTACT, S.CLARIFIED,
                "Leiekontrakt i orden, husleie betalt for tre måneder."),
    "finances": (CareTeamMember.Role.NAV_CONTACT, S.NOT_STARTED,
                 "Avtalt møte med NAV om gjeld og inntekt under oppholdet."),
    "local-follow-up": (CareTeamMember.Role.MUNICIPAL_CONTACT, S.NOT_STARTED, ""),
    "travel": ("coordinator", S.NOT_STARTED, "Trenger følge; spør om kommunen kan stille."),
}


def _actor(staff: Staff) -> Actor:
    return Actor(user=staff.user, channel="cli")


def _owners(pathway: Pathway) -> dict[str, Staff]:
    owners: dict[str, Staff] = {"coordinator": pathway.coordinator} if pathway.coordinator else {}
    for member in pathway.team.filter(ended_at__isnull=True).select_related("staff__user"):
        owners.setdefault(member.role, member.staff)
    return owners


def _fill(pathway: Pathway) -> None:
    owners = _owners(pathway)
    coordinator = owners.get("coordinator")
    if coordinator is None:
        return
    items = {item.item_type.key: item for item in ChecklistItem.objects.filter(
        pathway=pathway, version=1).select_related("item_type", "owner", "pathway__patient")}
    for key, (role, status, note) in PROGRESS.items():
        item: Any = items.get(key)
        owner = owners.get(role)
        if item is None or owner is None:
            continue
        # The coordinator assigns the item (and clarifies their own); the owner clarifies theirs.
        theirs = owner != coordinator and status != S.NOT_STARTED
        item = checklist_item_update(actor=_actor(coordinator), item=item, expected_version=1,
                                     status=S.NOT_STARTED if theirs else status,
                                     note="" if theirs else note, due_on=None, owner=owner)
        if theirs:
            checklist_item_update(actor=_actor(owner), item=item, expected_version=item.version,
                                  status=status, note=note, due_on=None)


def demo_checklists(coordinator: Staff) -> None:
    """Progress on the checklists of the pathways `coordinator` coordinates (demo mode)."""
    pathways = Pathway.objects.filter(coordinator=coordinator, closed_at__isnull=True,
                                      checklist_items__isnull=False).distinct()
    for pathway in pathways.select_related("patient", "coordinator__user"):
        _fill(pathway)
