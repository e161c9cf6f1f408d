"""Writing the crisis plan: one use case, one transaction, audited through the access policy.

The whole plan is saved at once (its texts and its list of whom to call) against the version
the writer read; version 0 means "there is no plan yet". A stale version changes nothing and
answers with a conflict.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from ettervern.access.policy import CRISIS_EDIT, Actor, require
from ettervern.core.errors import InvalidInput, StaleVersion
from ettervern.core.models import update_versioned
from ettervern.pathways.events import record_event
from ettervern.pathways.models import Pathway
from ettervern.planning.crisis.models import (
    BED_MAX_LENGTH,
    CONTACT_NAME_MAX_LENGTH,
    CONTACT_WHEN_MAX_LENGTH,
    MAX_CONTACTS,
    SECTION_MAX_LENGTH,
    CrisisContact,
    CrisisPlan,
)
from ettervern.planning.crisis.phones import normalise_phone
from ettervern.planning.locking import lock_open_pathway

STALE = _("Someone else changed the crisis plan in the meantime. Reload the page to see "
          "their changes, then make yours again.")


@dataclass(frozen=True)
class ContactData:
    name: str
    phone: str
    when: str = ""


_LIMITS: dict[str, tuple[int, Any]] = {
    "warning_signs": (SECTION_MAX_LENGTH, _("Warning signs")),
    "own_actions": (SECTION_MAX_LENGTH, _("What the patient does")),
    "others_actions": (SECTION_MAX_LENGTH, _("What others do")),
    "bed": (BED_MAX_LENGTH, _("User-controlled bed")),
}


def _within(text: str, limit: int, what: Any, field: str) -> None:
    if len(text) > limit:
        raise InvalidInput(_("%(what)s can be at most %(limit)s characters.")
                           % {"what": what, "limit": limit}, field=field)


def _clean_contacts(contacts: Sequence[ContactData]) -> list[ContactData]:
    if len(contacts) > MAX_CONTACTS:
        raise InvalidInput(_("A crisis plan can list at most %(n)s people to call.")
                           % {"n": MAX_CONTACTS}, field="contacts")
    cleaned = []
    for i, contact in enumerate(contacts):
        name, when = contact.name.strip(), contact.when.strip()
        if not name:
            raise InvalidInput(_("Every person to call needs a name."), field=f"contacts.{i}.name")
        _within(name, CONTACT_NAME_MAX_LENGTH, _("The name"), f"contacts.{i}.name")
        _within(when, CONTACT_WHEN_MAX_LENGTH, _("When to call"), f"contacts.{i}.when")
        phone = normalise_phone(contact.phone, field=f"contacts.{i}.phone")
        cleaned.append(ContactData(name=name, phone=phone, when=when))
    return cleaned


def crisisplan_save(
    *,
    actor: Actor,
    pathway: Pathway,
    expected_version: int,
    warning_signs: str,
    own_actions: str,
    others_actions: str,
    bed: str,
    contacts: Sequence[ContactData],
) -> CrisisPlan:
    """Create (expected_version 0) or replace the pathway's crisis plan."""
    require(actor, pathway, CRISIS_EDIT)
    texts = {"warning_signs": warning_signs.strip(), "own_actions": own_actions.strip(),
             "others_actions": others_actions.strip(), "bed": bed.strip()}
    for field, text in texts.items():
        limit, what = _LIMITS[field]
        _within(text, limit, what, field)
    cleaned = _clean_contacts(contacts)
    name = actor.identity[0]
    try:
        with transaction.atomic():
            locked = lock_open_pathway(actor, pathway.pk, CRISIS_EDIT, closed=_(
                "The pathway is closed; its crisis plan can no longer be changed."))
            plan = CrisisPlan.objects.filter(pathway=locked).first()
            if plan is None:
                if expected_version != 0:
                    raise StaleVersion(STALE)
                plan = CrisisPlan.objects.create(pathway=locked, updated_by_id=actor.user_pk,
                                                 updated_by_name=name, **texts)
            else:
                try:
                    update_versioned(plan, expected_version=expected_version,
                                     updated_by_id=actor.user_pk, updated_by_name=name, **texts)
                except StaleVersion:
                    raise StaleVersion(STALE) from None
                plan.contacts.all().delete()
            CrisisContact.objects.bulk_create([
                CrisisContact(plan=plan, position=i, name=c.name, phone=c.phone, when=c.when)
                for i, c in enumerate(cleaned)
            ])
            record_event(locked, actor, "crisisplan.saved", version=plan.version)
    except IntegrityError:
        # Two first saves at once: the other one made the plan.
        raise StaleVersion(STALE) from None
    return plan
