"""Every write on the individual plan: one function per use case, one transaction each.

Access is decided (and audited) by access.policy before the transaction opens. Inside it the
pathway row and then the plan row are locked (the order pathways.services uses), the expected
version is compared, the change is written, the plan's version bumped and a snapshot of the
whole plan kept (PlanVersion). A writer who read an older version gets StaleVersion and
nothing is written: the pages then show their text beside the current one.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ettervern.access import audit
from ettervern.access.policy import (
    PLAN_CONTRIBUTE,
    PLAN_EDIT,
    PLAN_RESPOND,
    PLAN_VIEW,
    Actor,
    Basis,
    allowed_actions,
    permitted,
    require_all,
)
from ettervern.catalogue.models import Offer
from ettervern.catalogue.selectors import offers_for
from ettervern.core import clock
from ettervern.core.errors import Forbidden, InvalidInput, RuleViolation, StaleVersion
from ettervern.core.models import update_versioned
from ettervern.directory.models import Staff
from ettervern.directory.selectors import staff_by_id
from ettervern.pathways.events import record_event
from ettervern.pathways.models import CareTeamMember, Pathway
from ettervern.planning.plan import versions
from ettervern.planning.plan.models import (
    COMMENT_MAX_LENGTH,
    MEASURE_TEXT_MAX_LENGTH,
    PLAN_TEXT_FIELDS,
    PLAN_TEXT_MAX_LENGTH,
    SERVICE_MAX_LENGTH,
    Measure,
    Plan,
    PlanComment,
    PlanSection,
    PlanVersion,
    SectionType,
)

# A date typed with a wrong year (9999) is refused rather than planned.
HORIZON = dt.timedelta(days=5 * 365)


def stale() -> StaleVersion:
    return StaleVersion(_("Someone else saved the plan in the meantime. Your text is kept: "
                          "compare it with the current plan, merge, and save again."))


# --- checks --------------------------------------------------------------------------------

def _check_length(text: str, limit: int, what: Any, field: str) -> None:
    if len(text) > limit:
        raise InvalidInput(_("%(what)s can be at most %(limit)s characters.")
                           % {"what": what, "limit": limit}, field=field)


def _check_texts(texts: dict[str, str]) -> None:
    for name, text in texts.items():
        _check_length(text, PLAN_TEXT_MAX_LENGTH, versions.TEXT_LABELS[name], name)


def _check_dates(start: dt.date | None, end: dt.date | None, start_field: str,
                 end_field: str) -> None:
    if start and end and end < start:
        raise InvalidInput(_("The end is before the start."), field=end_field)
    limit = clock.today() + HORIZON
    for value, field in ((start, start_field), (end, end_field)):
        if value is not None and (value > limit or value.year < 2000):
            raise InvalidInput(_("Check the year of this date."), field=field)


def _on_team(pathway: Pathway, staff: Staff) -> bool:
    """The pathway's coordinator or a person with an active role on its care team."""
    return pathway.coordinator_id == staff.pk or CareTeamMember.objects.filter(
        pathway=pathway, staff=staff, ended_at__isnull=True).exists()


def _team_member(pathway: Pathway, ref: Staff | uuid.UUID | None, field: str,
                 what: Any) -> Staff | None:
    if ref is None:
        return None
    staff = ref if isinstance(ref, Staff) else staff_by_id(ref, field=field)
    if not _on_team(pathway, staff):
        raise InvalidInput(_("%(name)s is not on the care team, so cannot be %(what)s. Add "
                             "them to the care team first.") % {"name": staff.name, "what": what},
                           field=field)
    return staff


def _refuse_if_closed(actor: Actor, pathway: Pathway, action: str) -> None:
    """Who may still read the plan of a closed pathway is told why it cannot change."""
    if pathway.is_open or not actor.user.is_authenticated:
        return
    if PLAN_VIEW in allowed_actions(pathway.access_bases(actor.user)):
        audit.record(actor, action=action, patient_id=pathway.patient_id, obj=pathway,
                     pathway_id=pathway.pk, denied_because="pathway closed")
        raise RuleViolation(_("The pathway is closed. Its plan can be read, not changed."))


def _require(actor: Actor, pathway: Pathway, action: str) -> tuple[Basis, list[Basis]]:
    _refuse_if_closed(actor, pathway, action)
    basis, bases = require_all(actor, pathway, action)
    return basis, list(bases)


def may_change_part(allowed: frozenset[str], roles: frozenset[str], section_type: SectionType,
                    staff_id: int | None, responsible_ids: Iterable[int | None] = ()) -> bool:
    """The rule for changing a part of the plan: the whole plan (plan.edit), or with
    plan.contribute a section one's role owns, or a measure one is responsible for.

    `allowed` and `roles` are what the actor's bases on the pathway permit and are (the plan
    page has them from `plan_get`); the services call it too, so a page shows a control exactly
    where the service lets it through."""
    if PLAN_EDIT in allowed:
        return True
    if PLAN_CONTRIBUTE not in allowed:
        return False
    return bool(roles & section_type.owners) or (
        staff_id is not None and staff_id in set(responsible_ids))


def _require_part(actor: Actor, pathway: Pathway, section_type: SectionType,
                  responsible_ids: Iterable[int | None]) -> None:
    """Refused (and audited) unless `may_change_part`."""
    _basis, bases = _require(actor, pathway, PLAN_CONTRIBUTE)
    staff_id = getattr(getattr(actor.user, "staff", None), "pk", None)
    if may_change_part(allowed_actions(bases), frozenset(b.role for b in bases), section_type,
                       staff_id, responsible_ids):
        return
    audit.record(actor, action=PLAN_CONTRIBUTE, patient_id=pathway.patient_id, obj=pathway,
                 pathway_id=pathway.pk, denied_because="not responsible for this part")
    raise Forbidden(_("You can change only the parts of the plan you are responsible for: the "
                      "sections of your service and the measures you are responsible for."))


def _locked(plan: Plan, expected_version: int) -> Plan:
    pathway = Pathway.objects.select_for_update().get(pk=plan.pathway_id)
    current = Plan.objects.select_for_update(of=("self",)).select_related("coordinator").get(
        pk=plan.pk)
    current.pathway = pathway
    if not pathway.is_open:
        raise RuleViolation(_("The pathway is closed. Its plan can be read, not changed."))
    if current.version != expected_version:
        raise stale()
    return current


def _still_allowed(actor: Actor, plan: Plan, action: str) -> None:
    if permitted(plan.pathway.access_bases(actor.user), action) is None:  # type: ignore[arg-type]
        raise Forbidden(_("Your access to this pathway changed in the meantime. Reload the "
                          "page."))


def _save_version(plan: Plan, actor: Actor, kind: str, expected_version: int,
                  **changes: Any) -> Plan:
    """Bump the version (compare-and-set) and keep the snapshot of what the plan is now."""
    update_versioned(plan, expected_version=expected_version, **changes)
    sections = list(plan.sections.select_related("section_type"))
    measures = list(plan.measures.select_related("responsible", "offer__organisation"))
    name, unit = actor.identity[0], actor.unit_name
    PlanVersion.objects.create(plan=plan, number=plan.version, saved_by_id=actor.user_pk,
                               saved_by_name=name, saved_by_unit=unit, kind=kind,
                               snapshot=versions.take(plan, sections, measures))
    record_event(plan.pathway, actor, kind, version=plan.version)
    return plan


# --- the plan ------------------------------------------------------------------------------

def plan_create(*, actor: Actor, pathway: Pathway) -> Plan:
    """The pathway's plan with every section of the template, coordinated by the pathway's
    coordinator until someone else is chosen. One plan per pathway."""
    _require(actor, pathway, PLAN_EDIT)
    with transaction.atomic():
        locked = Pathway.objects.select_for_update().get(pk=pathway.pk)
        if not locked.is_open:
            raise RuleViolation(_("The pathway is closed. Its plan can be read, not changed."))
        if Plan.objects.filter(pathway=locked).exists():
            raise RuleViolation(_("This pathway already has a plan."))
        plan = Plan.objects.create(pathway=locked, coordinator_id=locked.coordinator_id,
                                   version=0)
        PlanSection.objects.bulk_create(PlanSection(plan=plan, section_type=t)
                                        for t in SectionType.objects.all())
        return _save_version(plan, actor, "plan.created", 0)


def plan_update(*, actor: Actor, plan: Plan, expected_version: int,
                coordinator: Staff | uuid.UUID | None, period_start: dt.date | None,
                period_end: dt.date | None, next_revision_on: dt.date | None,
                **texts: str) -> Plan:
    """The plan's own fields: coordinator, period, next revision, goals, resources, needs,
    contributions and participants (texts left out keep their value)."""
    unknown = set(texts) - set(PLAN_TEXT_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown field."), field=sorted(unknown)[0])
    _require(actor, plan.pathway, PLAN_EDIT)
    _check_texts(texts)
    _check_dates(period_start, period_end, "period_start", "period_end")
    _check_dates(None, next_revision_on, "period_start", "next_revision_on")
    with transaction.atomic():
        current = _locked(plan, expected_version)
        _still_allowed(actor, current, PLAN_EDIT)
        # Keeping the coordinator one has is no new choice, even if they left the team since.
        kept = isinstance(coordinator, Staff) and coordinator.pk == current.coordinator_id
        chosen = coordinator if kept else _team_member(
            current.pathway, coordinator, "coordinator", _("the plan's coordinator"))
        return _save_version(current, actor, "plan.updated", expected_version,
                             coordinator=chosen, period_start=period_start,
                             period_end=period_end, next_revision_on=next_revision_on, **texts)


def _section(plan: Plan, key: str) -> PlanSection:
    section = (PlanSection.objects.select_related("section_type")
               .filter(plan=plan, section_type__key=key).first())
    if section is None:
        raise InvalidInput(_("The plan has no such section."), field="section")
    return section


def section_update(*, actor: Actor, plan: Plan, section: str, expected_version: int,
                   goals: str) -> PlanSection:
    """The patient's goals for one section, in their own words."""
    target = _section(plan, section)
    _require_part(actor, plan.pathway, target.section_type, ())
    _check_length(goals, PLAN_TEXT_MAX_LENGTH, _("The goals"), "goals")
    with transaction.atomic():
        current = _locked(plan, expected_version)
        _still_allowed(actor, current, PLAN_CONTRIBUTE)
        PlanSection.objects.filter(pk=target.pk).update(goals=goals)
        target.goals = goals
        _save_version(current, actor, "plan.section_updated", expected_version)
    return target


def _offer(pathway: Pathway, ref: Offer | uuid.UUID | None,
           kept: Offer | None = None) -> Offer | None:
    """The offer a measure links: one of `offers_for` the pathway (its patient's municipality
    and NAV office, its trusts and providers, the generic ones; active). Keeping the offer a
    measure has is no new choice, even if it was retired or the patient moved since."""
    if ref is None:
        return None
    if kept is not None and ref in (kept, kept.public_id):
        return kept
    offers = offers_for(pathway)
    found = (offers.filter(pk=ref.pk) if isinstance(ref, Offer)
             else offers.filter(public_id=ref)).first()
    if found is None:
        raise InvalidInput(_("This offer is not available to this patient: it is retired, or it "
                             "belongs to another municipality, NAV office or trust. Choose an "
                             "offer from the list, or describe the measure in your own words."),
                           field="offer")
    return found


def _measure_fields(pathway: Pathway, description: str, responsible: Staff | uuid.UUID,
                    responsible_service: str, start_on: dt.date | None, end_on: dt.date | None,
                    status: str, offer: Offer | uuid.UUID | None,
                    kept_offer: Offer | None = None) -> dict[str, Any]:
    description = description.strip()
    if not description and offer is None:
        raise InvalidInput(_("Describe the measure, or choose an offer from the catalogue."),
                           field="description")
    _check_length(description, MEASURE_TEXT_MAX_LENGTH, _("The measure"), "description")
    _check_length(responsible_service, SERVICE_MAX_LENGTH, _("The service"),
                  "responsible_service")
    _check_dates(start_on, end_on, "start_on", "end_on")
    if status not in Measure.Status.values:
        raise InvalidInput(_("Unknown status."), field="status")
    chosen = _offer(pathway, offer, kept_offer)
    staff = _team_member(pathway, responsible, "responsible", _("responsible for a measure"))
    assert staff is not None
    service = responsible_service.strip() or _service_of(staff)
    return {"description": description, "offer": chosen, "responsible": staff,
            "responsible_service": service, "start_on": start_on, "end_on": end_on,
            "status": status}


def _service_of(staff: Staff) -> str:
    unit = staff.units.select_related("organisation").order_by("id").first()
    if unit is None:
        return staff.name[:SERVICE_MAX_LENGTH]
    return f"{unit.name}, {unit.organisation.name}"[:SERVICE_MAX_LENGTH]


def _responsible_id(ref: Staff | uuid.UUID) -> int | None:
    if isinstance(ref, Staff):
        return ref.pk
    return Staff.objects.filter(public_id=ref).values_list("pk", flat=True).first()


def measure_add(*, actor: Actor, plan: Plan, expected_version: int, section: str,
                description: str, responsible: Staff | uuid.UUID, responsible_service: str = "",
                start_on: dt.date | None = None, end_on: dt.date | None = None,
                status: str = Measure.Status.PLANNED,
                offer: Offer | uuid.UUID | None = None) -> Measure:
    """A measure is free text, an offer from the catalogue available to the pathway
    (`catalogue.selectors.offers_for`), or both. A contributor adds measures to their own
    service's sections only (naming oneself responsible does not open another's section; the
    page shows the control where this lets it through)."""
    target = _section(plan, section)
    _require_part(actor, plan.pathway, target.section_type, ())
    with transaction.atomic():
        current = _locked(plan, expected_version)
        _still_allowed(actor, current, PLAN_CONTRIBUTE)
        fields = _measure_fields(current.pathway, description, responsible, responsible_service,
                                 start_on, end_on, status, offer)
        measure = Measure.objects.create(plan=current, section=target, **fields)
        _save_version(current, actor, "plan.measure_added", expected_version)
    return measure


def measure_update(*, actor: Actor, measure: Measure, expected_version: int, description: str,
                   responsible: Staff | uuid.UUID, responsible_service: str = "",
                   start_on: dt.date | None = None, end_on: dt.date | None = None,
                   status: str = Measure.Status.PLANNED,
                   offer: Offer | uuid.UUID | None = None) -> Measure:
    """`expected_version` is the plan's: a measure is part of the plan's one version line.
    Like the other fields, `offer` is the measure's offer after the change (None: none)."""
    plan = measure.plan
    _require_part(actor, plan.pathway, measure.section.section_type, [measure.responsible_id])
    with transaction.atomic():
        current = _locked(plan, expected_version)
        _still_allowed(actor, current, PLAN_CONTRIBUTE)
        fields = _measure_fields(current.pathway, description, responsible, responsible_service,
                                 start_on, end_on, status, offer, measure.offer)
        update_versioned(measure, expected_version=measure.version, **fields)
        _save_version(current, actor, "plan.measure_updated", expected_version)
    return measure


# --- the patient's voice -------------------------------------------------------------------

def plan_mark_seen(*, plan: Plan, basis: Basis) -> None:
    """The patient has opened this version. Not a save of the plan (no version), and not
    audited again: the read that showed it is (plan_get)."""
    if basis.role != "patient" or plan.seen_current:
        return
    now = clock.now()
    Plan.objects.filter(pk=plan.pk, version=plan.version).update(seen_version=plan.version,
                                                                 seen_at=now)
    plan.seen_version, plan.seen_at = plan.version, now


def plan_comment(*, actor: Actor, plan: Plan, text: str) -> PlanComment:
    _require(actor, plan.pathway, PLAN_RESPOND)
    text = text.strip()
    if not text:
        raise InvalidInput(_("Write your comment."), field="text")
    _check_length(text, COMMENT_MAX_LENGTH, _("The comment"), "text")
    with transaction.atomic():
        comment = PlanComment.objects.create(plan=plan, author_id=actor.user_pk,
                                             author_name=actor.identity[0], text=text,
                                             plan_version=plan.version)
        record_event(plan.pathway, actor, "plan.commented", version=plan.version)
    return comment


def plan_agree(*, actor: Actor, plan: Plan, expected_version: int) -> Plan:
    """"I have read the plan and agree" (dated), to the version the patient read. A later save
    of the plan asks again. Not a new version of the plan."""
    _require(actor, plan.pathway, PLAN_RESPOND)
    with transaction.atomic():
        try:
            current = _locked(plan, expected_version)
        except StaleVersion:
            raise StaleVersion(_("The plan was changed while you read it. Read it again "
                                 "before you agree."), field="version") from None
        now = clock.now()
        Plan.objects.filter(pk=current.pk).update(agreed_version=expected_version, agreed_at=now,
                                                  seen_version=expected_version, seen_at=now)
        current.agreed_version, current.agreed_at = expected_version, now
        current.seen_version, current.seen_at = expected_version, now
        record_event(current.pathway, actor, "plan.agreed", version=expected_version)
    return current
