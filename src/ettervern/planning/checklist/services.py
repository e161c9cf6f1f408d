"""Writes on the pre-admission checklist: creating it when the pathway enters pre-admission,
and updating one item. Access is decided (and audited) by access.policy.require before the
transaction opens; inside it the pathway row is locked and access checked again.

Who may change what (the policy's actions, access/policy.py):
- PLAN_EDIT (the coordinator, their clinic, the specialist contact): every item, and who owns
  it;
- PLAN_CONTRIBUTE (the municipality, NAV, the GP, the treating unit): the status, note and date
  of the items they own.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ettervern.access.policy import (
    CHECKLIST_VIEW,
    PLAN_CONTRIBUTE,
    PLAN_EDIT,
    Actor,
    allowed_actions,
    require,
)
from ettervern.core import clock
from ettervern.core.errors import Forbidden, InvalidInput, RuleViolation
from ettervern.core.models import update_versioned
from ettervern.directory.models import Staff
from ettervern.pathways.events import record_event
from ettervern.pathways.models import Pathway
from ettervern.planning.checklist.models import NOTE_MAX_LENGTH, ChecklistItem, ChecklistItemType
from ettervern.planning.checklist.selectors import team_staff
from ettervern.planning.locking import lock_open_pathway

# A typing error in the year (2062 for 2026) is refused rather than kept.
DATE_HORIZON = dt.timedelta(days=2 * 365)
_UNSET: Any = object()


def checklist_create(pathway: Pathway) -> list[ChecklistItem]:
    """Give `pathway` one item per active item type it does not have yet.

    Called by the phase change into pre-admission (pathways.phase_work, registered in
    PlanningConfig.ready), inside that change's transaction and under its lock on the pathway:
    the change already passed the access policy and is audited, so nothing is checked here.
    Entering pre-admission again (the next of sequential admissions) keeps what was clarified
    and adds only the items an administrator has added since.
    """
    have = set(ChecklistItem.objects.filter(pathway=pathway).values_list("item_type_id",
                                                                          flat=True))
    missing = [ChecklistItem(pathway=pathway, item_type=item_type)
               for item_type in ChecklistItemType.objects.filter(active=True)
               if item_type.pk not in have]
    return ChecklistItem.objects.bulk_create(missing)


def _owner(pathway: Pathway, ref: Staff | uuid.UUID | None) -> Staff | None:
    """The owner named, if they are on the pathway's care team (the coordinator or an active
    member); a stranger would gain access to nothing but must not be named either."""
    if ref is None:
        return None
    on_team = team_staff(pathway)
    wanted = ref.pk if isinstance(ref, Staff) else ref
    for person in on_team:
        if wanted in (person.pk, person.public_id):
            return person
    name = ref.name if isinstance(ref, Staff) else ""
    raise InvalidInput(
        _("%(name)s is not on the care team. Only the coordinator or someone on the care team "
          "can be responsible.") % {"name": name} if name else
        _("That person is not on the care team. Only the coordinator or someone on the care "
          "team can be responsible."), field="owner")


def _check(status: str, note: str, due_on: dt.date | None) -> None:
    if status not in ChecklistItem.Status.values:
        raise InvalidInput(_("Unknown status."), field="status")
    if len(note) > NOTE_MAX_LENGTH:
        raise InvalidInput(_("%(what)s can be at most %(limit)s characters.")
                           % {"what": _("The note"), "limit": NOTE_MAX_LENGTH}, field="note")
    if due_on is not None and due_on > clock.today() + DATE_HORIZON:
        raise InvalidInput(_("The date is more than two years ahead. Check the year."),
                           field="due_on")


def _owns(actor: Actor, item: ChecklistItem) -> bool:
    return item.owner is not None and item.owner.user_id == actor.user.pk


def checklist_item_authorise(actor: Actor, item: ChecklistItem, changes_owner: bool) -> str:
    """The action this update needs, checked and audited once; a refusal says why."""
    pathway = item.pathway
    if actor.user.is_authenticated and CHECKLIST_VIEW not in allowed_actions(
            pathway.access_bases(actor.user)):
        require(actor, pathway, CHECKLIST_VIEW, obj=item)  # refused (404), audited: nothing leaks
    action = PLAN_CONTRIBUTE if _owns(actor, item) and not changes_owner else PLAN_EDIT
    try:
        require(actor, pathway, action, obj=item)
    except Forbidden:
        if not pathway.is_open:
            raise RuleViolation(_("The pathway is closed. Its checklist can be read, not "
                                  "changed.")) from None
        if changes_owner and _owns(actor, item):
            raise Forbidden(_("Only the coordinator can choose who is responsible.")) from None
        raise Forbidden(_("You can update only the checklist items you are responsible for. "
                          "Ask the coordinator to make you responsible.")) from None
    return action


def checklist_item_update(*, actor: Actor, item: ChecklistItem, expected_version: int,
                          status: str, note: str, due_on: dt.date | None,
                          owner: Staff | uuid.UUID | None = _UNSET) -> ChecklistItem:
    """Set an item's status, note and date, and (PLAN_EDIT only) who owns it. Leaving `owner`
    out keeps it. A stale `expected_version` changes nothing (StaleVersion, 409)."""
    note = note.strip()
    current_owner_id = item.owner.public_id if item.owner else None
    wanted_owner_id = (owner.public_id if isinstance(owner, Staff) else owner)
    changes_owner = owner is not _UNSET and wanted_owner_id != current_owner_id
    action = checklist_item_authorise(actor, item, changes_owner)
    _check(status, note, due_on)
    with transaction.atomic():
        pathway = lock_open_pathway(actor, item.pathway_id, action, closed=_(
            "The pathway is closed. Its checklist can be read, not changed."))
        current = ChecklistItem.objects.select_related("item_type", "owner").get(pk=item.pk)
        if action == PLAN_CONTRIBUTE and not _owns(actor, current):
            raise Forbidden(_("You are no longer responsible for this item. Reload the page."))
        changes: dict[str, Any] = {"status": status, "note": note, "due_on": due_on,
                                   "updated_by_id": actor.user_pk}
        if changes_owner:
            changes["owner"] = _owner(pathway, owner)
        before = current.status
        update_versioned(current, expected_version=expected_version, **changes)
        # The new status names the event; a change of note, date or owner alone is "updated".
        kind = f"checklist.{status}" if status != before else "checklist.updated"
        record_event(pathway, actor, kind, item=current.item_type.name)
    current.pathway = pathway
    return current
