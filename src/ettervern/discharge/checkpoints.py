"""Whether each checkpoint before discharge is met, for one stay or a page of stays.

The facts are read for all the given stays at once (a query per kind of fact, whatever the
number of stays), then each checkpoint's rule decides from them. A derived checkpoint changes
as the data changes: nothing is cached or copied.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from ettervern.beds.models import Agreement
from ettervern.core.dates import display_date
from ettervern.discharge.models import CheckpointTick, CheckpointType
from ettervern.pathways.models import CareTeamMember, Stay
from ettervern.planning.crisis.models import CrisisPlan
from ettervern.planning.plan.models import Measure, Plan, PlanSection

ROLE = CareTeamMember.Role
ACTIVE_MEASURES = (Measure.Status.PLANNED, Measure.Status.ONGOING)


@dataclass
class Facts:
    """What the data says about one stay's pathway, as the rules need it."""

    stay: Stay
    has_coordinator: bool = False
    roles: set[str] = field(default_factory=set)
    plan_exists: bool = False
    plan_agreed: bool = False
    sections_addressed: set[str] = field(default_factory=set)
    active_measures: int = 0
    crisis_plan_ready: bool = False
    before_meeting_held: bool = False
    after_meeting_booked: bool = False
    has_bed_agreement: bool = False
    next_stay_planned: bool = False
    ticks: dict[str, CheckpointTick] = field(default_factory=dict)


@dataclass(frozen=True)
class State:
    checkpoint: CheckpointType
    done: bool
    # "data" when the data shows it, "tick" when a person ticked it, "" when open.
    source: str
    detail: str = ""
    tick: CheckpointTick | None = None

    @property
    def key(self) -> str:
        return self.checkpoint.key

    @property
    def title(self) -> str:
        return self.checkpoint.label

    @property
    def tickable(self) -> bool:
        return self.checkpoint.tickable


# key -> rule over the facts: (met, what shows it). Unknown keys are never met by data.
Derivation = Callable[[Facts], tuple[bool, str]]


def _team_named(f: Facts) -> tuple[bool, str]:
    missing = []
    if not f.has_coordinator:
        missing.append(_("coordinator"))
    if ROLE.SPECIALIST_CONTACT not in f.roles:
        missing.append(_("contact person in specialist care"))
    if ROLE.MUNICIPAL_CONTACT not in f.roles:
        missing.append(_("contact person in the municipality"))
    if missing:
        return False, _("Missing: %(who)s") % {"who": ", ".join(missing)}
    return True, _("Named on the care team")


def _plan_agreed(f: Facts) -> tuple[bool, str]:
    if not f.plan_exists:
        return False, _("There is no individual plan yet")
    if not f.plan_agreed:
        return False, _("The patient has not agreed to the current version of the plan")
    return True, _("The patient has read and agreed to the plan")


def _section(key: str) -> Derivation:
    def rule(f: Facts) -> tuple[bool, str]:
        if key in f.sections_addressed:
            return True, _("Goals or measures in the plan")
        return False, _("No goals or measures in this part of the plan")
    return rule


def _measures(f: Facts) -> tuple[bool, str]:
    if f.active_measures:
        return True, _("%(count)s measures, each with a responsible person") % {
            "count": f.active_measures}
    return False, _("The plan has no planned or ongoing measures")


def _crisis_plan(f: Facts) -> tuple[bool, str]:
    if f.crisis_plan_ready:
        return True, _("Warning signs and contacts are filled in")
    return False, _("The crisis plan lacks warning signs or contacts")


def _before_meeting(f: Facts) -> tuple[bool, str]:
    if f.before_meeting_held:
        return True, _("Held")
    return False, _("Not held yet")


def _after_meeting(f: Facts) -> tuple[bool, str]:
    if f.after_meeting_booked:
        return True, _("Booked")
    return False, _("Not booked yet")


def _bed_decision(f: Facts) -> tuple[bool, str]:
    if f.has_bed_agreement:
        return True, _("An agreement on a user-controlled bed exists")
    if f.next_stay_planned:
        return True, _("A sequential admission is planned")
    return False, ""


DERIVATIONS: dict[str, Derivation] = {
    "plan_agreed": _plan_agreed,
    "team_named": _team_named,
    "housing": _section("housing"),
    "economy": _section("finances"),
    "crisis_plan": _crisis_plan,
    "before_meeting_held": _before_meeting,
    "after_meeting_booked": _after_meeting,
    "measures_owned": _measures,
    "bed_decision": _bed_decision,
}


def _label_of(key: str) -> str:
    found = CheckpointType.objects.filter(key=key).first()
    return found.label if found is not None else key


# The checkpoint's name in the reader's language, looked up when shown (tasks name theirs).
checkpoint_label = lazy(_label_of, str)


def active_types() -> list[CheckpointType]:
    return list(CheckpointType.objects.filter(active=True).order_by("order", "id"))


def _meeting_facts(by_pathway: dict[int, list[Facts]]) -> None:
    """The cooperation meeting before discharge held, and the follow-up meeting after it
    booked (planned or held), for the stay: a meeting on the stay, or one on its pathway since
    the admission."""
    from ettervern.meetings.models import Meeting

    rows = Meeting.objects.filter(
        pathway_id__in=list(by_pathway),
        kind__in=["before_discharge", "after_discharge"],
        status__in=["planned", "held"],
    ).values_list("pathway_id", "stay_id", "kind", "status", "starts_at")
    for pathway_id, stay_id, kind, status, starts_at in rows:
        for f in by_pathway[pathway_id]:
            since = f.stay.admitted_on or f.stay.planned_start
            # A meeting of another stay never counts; nor one before this stay began, even if
            # it names the stay (a meeting recorded afterwards with a wrong date).
            if (stay_id is not None and stay_id != f.stay.pk) or \
                    timezone.localdate(starts_at) < since:
                continue
            if kind == "before_discharge" and status == "held":
                f.before_meeting_held = True
            elif kind == "after_discharge":
                f.after_meeting_booked = True


def gather(stays: Sequence[Stay]) -> dict[int, Facts]:
    """The facts for each stay (by its id). Stays carry their pathway (select_related)."""
    facts = {stay.pk: Facts(stay=stay) for stay in stays}
    if not facts:
        return facts
    by_pathway: dict[int, list[Facts]] = defaultdict(list)
    for f in facts.values():
        by_pathway[f.stay.pathway_id].append(f)
    pathway_ids = list(by_pathway)

    def each(pathway_id: int) -> list[Facts]:
        return by_pathway.get(pathway_id, [])

    for f in facts.values():
        f.has_coordinator = f.stay.pathway.coordinator_id is not None
    for pathway_id, role in CareTeamMember.objects.filter(
            pathway_id__in=pathway_ids, ended_at__isnull=True).values_list("pathway_id", "role"):
        for f in each(pathway_id):
            f.roles.add(role)
    for pathway_id, version, agreed in Plan.objects.filter(
            pathway_id__in=pathway_ids).values_list("pathway_id", "version", "agreed_version"):
        for f in each(pathway_id):
            f.plan_exists, f.plan_agreed = True, agreed is not None and agreed == version
    addressed = (PlanSection.objects.filter(plan__pathway_id__in=pathway_ids,
                                            section_type__key__in=["housing", "finances"])
                 .annotate(active=Count("measures", filter=Q(measures__status__in=ACTIVE_MEASURES)))
                 .filter(~Q(goals="") | Q(active__gt=0))
                 .values_list("plan__pathway_id", "section_type__key"))
    for pathway_id, key in addressed:
        for f in each(pathway_id):
            f.sections_addressed.add(key)
    for pathway_id, count in (Measure.objects.filter(plan__pathway_id__in=pathway_ids,
                                                     status__in=ACTIVE_MEASURES)
                              .values("plan__pathway_id").annotate(n=Count("id"))
                              .values_list("plan__pathway_id", "n")):
        for f in each(pathway_id):
            f.active_measures = count
    for pathway_id in (CrisisPlan.objects.filter(pathway_id__in=pathway_ids)
                       .exclude(warning_signs="").filter(contacts__isnull=False)
                       .values_list("pathway_id", flat=True).distinct()):
        for f in each(pathway_id):
            f.crisis_plan_ready = True
    for pathway_id in (Agreement.objects.filter(pathway_id__in=pathway_ids).order_by()
                       .values_list("pathway_id", flat=True).distinct()):
        for f in each(pathway_id):
            f.has_bed_agreement = True
    # A sequential admission: another residential stay planned to start after this one.
    for pathway_id, stay_id, start in Stay.objects.filter(
            pathway_id__in=pathway_ids, status=Stay.Status.PLANNED,
            kind=Stay.Kind.RESIDENTIAL).values_list("pathway_id", "id", "planned_start"):
        for f in each(pathway_id):
            if stay_id != f.stay.pk and start >= (f.stay.admitted_on or f.stay.planned_start):
                f.next_stay_planned = True
    _meeting_facts(by_pathway)
    for tick in CheckpointTick.objects.filter(stay_id__in=list(facts), withdrawn_at__isnull=True):
        facts[tick.stay_id].ticks[tick.checkpoint_id] = tick  # type: ignore[index]
    return facts


def decide(checkpoint: CheckpointType, f: Facts) -> State:
    rule = DERIVATIONS.get(checkpoint.key)
    derived, detail = rule(f) if rule is not None else (False, "")
    tick = f.ticks.get(checkpoint.pk)  # type: ignore[call-overload]
    if checkpoint.rule != CheckpointType.Rule.MANUAL and derived:
        return State(checkpoint, True, "data", detail)
    if checkpoint.tickable and tick is not None:
        when = display_date(tick.ticked_at.date())
        return State(checkpoint, True, "tick",
                     _("Ticked by %(name)s on %(on)s") % {"name": tick.ticked_by_name, "on": when},
                     tick)
    return State(checkpoint, False, "", detail)


def states_for(stays: Sequence[Stay]) -> dict[int, list[State]]:
    """Every active checkpoint's state, per stay id."""
    types = active_types()
    facts = gather(stays)
    return {stay_id: [decide(checkpoint, f) for checkpoint in types]
            for stay_id, f in facts.items()}


def open_states(stay: Stay) -> list[State]:
    return [state for state in states_for([stay])[stay.pk] if not state.done]

