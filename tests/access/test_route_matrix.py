"""Every page and endpoint that serves patient data, asked by every kind of person.

The rows are built from Django's URL list (pages and the API alike), so a new route that is not
classified here fails `test_every_route_is_in_the_matrix`. Each route says which action of the
access policy it needs; the expected answer of each cell follows from the policy's table as the
domain describes it (tests/access/test_policy.py EXPECTED), not from the code under test:
- a read the person's role permits answers 200; any other read answers 404, never a tell-tale
  403, so that nobody learns that data they may not see exists;
- a write the person's role does not permit is refused (403 or 404; an API body that does not
  parse answers 422 before anything is looked up) and changes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from ettervern.access.consent_kinds import BEDS_VIEW, MEETING_VIEW
from ettervern.access.policy import (
    BED_ACCEPT,
    BED_AGREEMENT,
    BED_BOOK,
    BED_UNIT,
    CHECKLIST_VIEW,
    CHECKPOINT_TICK,
    CONSENT_MANAGE,
    CONSENT_VIEW,
    CRISIS_EDIT,
    CRISIS_VIEW,
    DISCHARGE_VIEW,
    EDIT,
    HANDOVER,
    MAPPING_RATE,
    MAPPING_VIEW,
    MEETING_MANAGE,
    MESSAGE_PATIENT,
    MESSAGE_TEAM,
    NEXT_OF_KIN_MANAGE,
    OVERVIEW_VIEW,
    PLAN_CONTRIBUTE,
    PLAN_EDIT,
    PLAN_RESPOND,
    PLAN_VIEW,
    READ_ACTIONS,
    REOPEN,
    STAY,
    STAY_PLAN,
    TASK_MANAGE,
    TASK_VIEW,
    TEAM,
    TRANSITION,
    VIEW,
    WHAT_MATTERS_EDIT,
    WHAT_MATTERS_VIEW,
)
from ettervern.beds.models import Agreement, Booking
from ettervern.core import clock
from ettervern.pathways.models import CareTeamMember, PathwayEvent, Stay
from ettervern.patients.models import Consent
from ettervern.planning.checklist.models import ChecklistItem
from ettervern.planning.mapping import services as mapping_services
from ettervern.planning.plan import services as plan_services
from tests.access.test_policy import EXPECTED, SEEN_WITH_DOMAIN
from tests.pathways.helpers import *  # noqa: F403
from tests.pathways.helpers import act, days_ago
from tests.planning.conftest import (  # noqa: F401
    ROLES,
    client_of,
    kin_crisis_plan,
    kin_mapping,
    kin_plan,
    section_types,
)


@dataclass
class World:
    """The objects a route names, all on the one pathway everyone is asked about."""

    pathway: Any
    stay: Stay
    member: CareTeamMember
    item: ChecklistItem
    measure: Any
    round: Any
    consent: Any
    # An accepted agreement for a user-controlled bed, at a unit whose staff are none of the
    # people asked (so that each stands on it as on the pathway), and a stay booked under it.
    agreement: Agreement
    booking: Booking
    # A planned cooperation meeting before discharge (the coordinator takes part) with a
    # decision recorded.
    meeting: Any
    decision: Any
    # An open task of the coordinator's (tasks/): the patient may not see it.
    task: Any

    @property
    def p(self) -> str:
        return str(self.pathway.public_id)


@dataclass(frozen=True)
class Read:
    path: Callable[[World], str]
    action: str
    # Where someone allowed is sent to a page of their own instead: (who, that page).
    redirects: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Write:
    path: Callable[[World], str]
    action: str
    method: str = "post"
    seen: str = ""  # the read that shows it, where the action's own does not say (checklist)

    @property
    def seen_with(self) -> str:
        """The read that shows what this write changes: someone who may not make that read
        must not learn that it exists."""
        return self.seen or SEEN_WITH_DOMAIN.get(self.action, VIEW)


@dataclass(frozen=True)
class Open:
    """No patient data, or only what the asker may see anyway (their own worklist)."""

    why: str


def _p(suffix: str) -> Callable[[World], str]:
    return lambda w: f"/forlop/{w.p}/{suffix}"


def _api(suffix: str) -> Callable[[World], str]:
    return lambda w: f"/api/pathways/{w.p}{suffix}"


def _stay(suffix: str) -> Callable[[World], str]:
    return lambda w: f"/opphold/{w.stay.public_id}/{suffix}"


def _stay_api(suffix: str) -> Callable[[World], str]:
    return lambda w: f"/api/stays/{w.stay.public_id}{suffix}"


def _meeting(suffix: str) -> Callable[[World], str]:
    return lambda w: f"/moter/{w.meeting.public_id}/{suffix}"


def _meeting_api(suffix: str) -> Callable[[World], str]:
    return lambda w: f"/api/meetings/{w.meeting.public_id}{suffix}"


def _first(world: World) -> str:
    """The meeting's first participant (the coordinator who arranged it)."""
    return str(world.meeting.participants.order_by("id").first().public_id)


ROUTES: dict[str, Read | Write | Open] = {
    # --- no patient data -----------------------------------------------------------------
    "healthz": Open("liveness"),
    "set_language": Open("the reader's language"),
    "oidc:login": Open("sign-in"),
    "oidc:callback": Open("sign-in"),
    "web:home": Open("redirects to one's own start page"),
    "web:login": Open("sign-in"),
    "web:login_totp": Open("sign-in"),
    "web:login_totp_enrol": Open("sign-in"),
    "web:logout": Open("sign-out"),
    "catalogue:offers": Open("the offers catalogue"),
    "api:offers": Open("the offers catalogue"),
    "api:units": Open("the directory"),
    "api:staff": Open("the directory"),
    "api:openapi-json": Open("API description"),
    "api:openapi-view": Open("API description"),
    "api:api-root": Open("API description"),
    # The crisis plan's offline pieces read nothing: the same text for any id.
    "planning:crisis_plan_sw": Open("a fixed script"),
    "planning:crisis_plan_manifest": Open("names only the page's own address"),
    "pathways:worklist": Open("lists only what the asker may see (test_access_equivalence)"),
    "api:worklist": Open("lists only what the asker may see (test_access_equivalence)"),
    "pathways:pathway_open": Open("registers a patient: clinic staff only (test_pathway_open)"),
    "api:open_pathway": Open("registers a patient: clinic staff only (test_pathway_open)"),
    # --- the pathway -----------------------------------------------------------------------
    "pathways:pathway": Read(_p(""), VIEW),
    "api:pathway": Read(_api(""), VIEW),
    "api:timeline": Read(_api("/timeline"), VIEW),
    "api:care_team": Read(_api("/care-team"), VIEW),
    "pathways:person_search": Read(lambda w: f"/forlop/{w.p}/personer/?purpose=gp", TEAM),
    "pathways:pathway_transition": Write(_p("fase/"), TRANSITION),
    "api:transition": Write(_api("/transitions"), TRANSITION),
    "pathways:pathway_reopen": Write(_p("gjenapne/"), REOPEN),
    "api:reopen": Write(_api("/reopen"), REOPEN),
    "pathways:pathway_update": Write(_p("detaljer/"), EDIT),
    "api:update_pathway": Write(_api(""), EDIT, "patch"),
    "pathways:stay_plan": Write(_p("opphold/"), STAY_PLAN),
    "api:plan_stay": Write(_api("/stays"), STAY_PLAN),
    "pathways:stay_admit": Write(lambda w: f"/opphold/{w.stay.public_id}/innlegg/", STAY),
    "api:admit": Write(lambda w: f"/api/stays/{w.stay.public_id}/admit", STAY),
    "api:discharge": Write(lambda w: f"/api/stays/{w.stay.public_id}/discharge", STAY),
    "pathways:stay_cancel": Write(lambda w: f"/opphold/{w.stay.public_id}/avlys/", STAY),
    "api:cancel": Write(lambda w: f"/api/stays/{w.stay.public_id}/cancel", STAY),
    "api:update_stay": Write(lambda w: f"/api/stays/{w.stay.public_id}", STAY, "patch"),
    "pathways:careteam_add": Write(_p("team/"), TEAM),
    "api:add_member": Write(_api("/care-team"), TEAM),
    "pathways:careteam_end": Write(lambda w: f"/team/{w.member.public_id}/avslutt/", TEAM),
    "api:end_member": Write(lambda w: f"/api/care-team/{w.member.public_id}/end", TEAM),
    "pathways:coordinator_handover": Write(_p("koordinator/"), HANDOVER),
    "api:handover": Write(_api("/handover"), HANDOVER),
    # --- planning --------------------------------------------------------------------------
    "planning:checklist": Read(_p("sjekkliste/"), CHECKLIST_VIEW),
    "api:checklist": Read(_api("/checklist"), CHECKLIST_VIEW),
    "planning:checklist_item_update": Write(lambda w: f"/sjekkliste/{w.item.public_id}/",
                                            PLAN_CONTRIBUTE, seen=CHECKLIST_VIEW),
    "api:update_item": Write(lambda w: f"/api/checklist-items/{w.item.public_id}",
                             PLAN_CONTRIBUTE, "patch", seen=CHECKLIST_VIEW),
    "planning:plan": Read(_p("plan/"), PLAN_VIEW),
    "api:plan": Read(_api("/plan"), PLAN_VIEW),
    "planning:plan_versions": Read(_p("plan/versjoner/"), PLAN_VIEW),
    "api:plan_versions": Read(_api("/plan/versions"), PLAN_VIEW),
    "api:plan_diff": Read(_api("/plan/diff?old=1&new=2"), PLAN_VIEW),
    "planning:plan_pdf": Read(_p("plan/pdf/"), PLAN_VIEW),
    "planning:plan_create": Write(_p("plan/opprett/"), PLAN_EDIT),
    "api:create_plan": Write(_api("/plan"), PLAN_EDIT),
    "planning:plan_update": Write(_p("plan/lagre/"), PLAN_EDIT),
    "api:update_plan": Write(_api("/plan"), PLAN_EDIT, "patch"),
    "planning:plan_section": Write(_p("plan/mal/housing/"), PLAN_CONTRIBUTE),
    "api:update_section": Write(_api("/plan/sections/housing"), PLAN_CONTRIBUTE, "patch"),
    "planning:plan_measure_add": Write(_p("plan/tiltak/"), PLAN_CONTRIBUTE),
    "api:add_measure": Write(_api("/plan/measures"), PLAN_CONTRIBUTE),
    "planning:plan_measure_update": Write(lambda w: f"/plan-tiltak/{w.measure.public_id}/",
                                          PLAN_CONTRIBUTE),
    "api:update_measure": Write(lambda w: f"/api/plan-measures/{w.measure.public_id}",
                                PLAN_CONTRIBUTE, "put"),
    "planning:plan_comment": Write(_p("plan/kommentar/"), PLAN_RESPOND),
    "api:comment_on_plan": Write(_api("/plan/comments"), PLAN_RESPOND),
    "planning:plan_agree": Write(_p("plan/enig/"), PLAN_RESPOND),
    "api:agree_to_plan": Write(_api("/plan/agree"), PLAN_RESPOND),
    "planning:crisis_plan": Read(_p("kriseplan/"), CRISIS_VIEW),
    "api:crisis_plan": Read(_api("/crisis-plan"), CRISIS_VIEW),
    "planning:crisis_plan_pdf": Read(lambda w: f"/forlop/{w.p}/kriseplan.pdf", CRISIS_VIEW),
    "api:save_crisis_plan": Write(_api("/crisis-plan"), CRISIS_EDIT, "put"),
    "planning:mapping_overview": Read(_p("kartlegging/"), MAPPING_VIEW),
    "planning:mapping_chart": Read(_p("kartlegging/graf.svg"), MAPPING_VIEW),
    "api:mapping": Read(_api("/mapping"), MAPPING_VIEW),
    "planning:mapping_round": Read(lambda w: f"/kartlegging/{w.round.public_id}/", MAPPING_VIEW),
    "planning:mapping_round_start": Write(_p("kartlegging/ny/"), MAPPING_RATE),
    "api:start_round": Write(_api("/mapping/rounds"), MAPPING_RATE),
    "api:save_clinician": Write(lambda w: f"/api/mapping-rounds/{w.round.public_id}/clinician",
                                MAPPING_RATE, "put"),
    "api:save_patient": Write(lambda w: f"/api/mapping-rounds/{w.round.public_id}/patient",
                              PLAN_RESPOND, "put"),
    # --- consent, the people close to the patient, what matters (portal/) --------------------
    # The patient's own pages name no pathway: each shows the signed-in person's own data.
    "portal:home": Open("the signed-in patient's own (tests/portal)"),
    "portal:consents": Open("the signed-in patient's own (tests/portal)"),
    "portal:consent_grant": Open("the signed-in patient's own (tests/portal)"),
    "portal:consent_withdraw": Open("the signed-in patient's own (tests/portal)"),
    "portal:person_add": Open("the signed-in patient's own (tests/portal)"),
    "portal:what_matters": Open("the signed-in patient's own (tests/portal)"),
    "portal:shared": Open("what is shared with the signed-in person (tests/portal)"),
    "portal:staff_consents": Read(_p("samtykker/"), CONSENT_VIEW,
                                  redirects=(("patient", "/meg/samtykker/"),)),
    "api:consents": Read(_api("/consents"), CONSENT_VIEW),
    "api:people": Read(_api("/next-of-kin"), CONSENT_VIEW),
    "api:what_matters": Read(_api("/what-matters"), WHAT_MATTERS_VIEW),
    # The clinic's consent page: who may not read the consents is told "not found" there.
    "portal:staff_consent_record": Write(_p("samtykker/registrer/"), CONSENT_MANAGE,
                                         seen=CONSENT_VIEW),
    "api:grant": Write(_api("/consents"), CONSENT_MANAGE),
    "portal:staff_consent_withdraw": Write(
        lambda w: f"/forlop/{w.p}/samtykker/{w.consent.public_id}/trekk-tilbake/", CONSENT_MANAGE),
    "api:withdraw": Write(
        lambda w: f"/api/pathways/{w.p}/consents/{w.consent.public_id}/withdraw", CONSENT_MANAGE),
    "portal:staff_person_add": Write(_p("personer/ny/"), NEXT_OF_KIN_MANAGE, seen=CONSENT_VIEW),
    "api:add_person": Write(_api("/next-of-kin"), NEXT_OF_KIN_MANAGE),
    "api:save_what_matters": Write(_api("/what-matters"), WHAT_MATTERS_EDIT, "put"),
    # --- the patient's rights (rights/) --------------------------------------------------------
    "rights:access_log": Open("the signed-in patient's own log (tests/rights)"),
    "api:access_log": Open("the signed-in patient's own log (tests/rights)"),
    "rights:blocks": Open("the signed-in patient's own blocks (tests/rights)"),
    "rights:block_lift": Open("the signed-in patient's own blocks (tests/rights)"),
    "api:blocks": Open("the signed-in patient's own blocks (tests/rights)"),
    "api:create_block": Open("the signed-in patient's own blocks (tests/rights)"),
    "api:lift_block": Open("the signed-in patient's own blocks (tests/rights)"),
    "rights:emergency_open": Open("opens by national id with a reason (tests/rights)"),
    "api:open_emergency_access": Open("opens by national id with a reason (tests/rights)"),
    "rights:emergency_review": Open("the unit's own staff only (tests/rights)"),
    "api:unit_emergency_accesses": Open("the unit's own staff only (tests/rights)"),
    # --- user-controlled beds (beds/) --------------------------------------------------------
    # The programmes, the search and the usage figures hold no patient data; a unit's programme
    # is its administrator's; the day list and the agreements of a unit are its own staff's; an
    # agreement by national id is for the unit's own staff, refused to anyone else before the
    # number is looked up.
    "beds:search": Open("the programmes: no patient data (tests/beds)"),
    "api:search_bed_programmes": Open("the programmes: no patient data (tests/beds)"),
    "beds:programme": Open("the programmes: no patient data (tests/beds)"),
    "api:bed_programmes": Open("the programmes: no patient data (tests/beds)"),
    "api:bed_programme": Open("the programmes: no patient data (tests/beds)"),
    "beds:programme_edit": Open("the unit's administrator only, no patient data (tests/beds)"),
    "api:save_bed_programme": Open("the unit's administrator only, no patient data "
                                   "(tests/beds)"),
    "beds:capacity": Open("the unit's administrator only, no patient data (tests/beds)"),
    "api:set_bed_capacity": Open("the unit's administrator only, no patient data (tests/beds)"),
    "beds:usage": Open("counts only (tests/beds)"),
    "api:unit_bed_usage": Open("counts only (tests/beds)"),
    "beds:unit_day": Open("the unit's own staff only (tests/beds)"),
    "api:unit_bed_day": Open("the unit's own staff only (tests/beds)"),
    "beds:unit_agreements": Open("the unit's own staff only (tests/beds)"),
    "api:unit_bed_agreements": Open("the unit's own staff only (tests/beds)"),
    "api:create_bed_agreement": Open("by national id, the unit's own staff only (tests/beds)"),
    "beds:portal": Open("the signed-in patient's own (tests/beds)"),
    "api:my_bed_agreements": Open("the signed-in patient's own (tests/beds)"),
    # The pathway's agreements.
    "beds:pathway_beds": Read(_p("brukerstyrt/"), BEDS_VIEW),
    "api:pathway_bed_agreements": Read(_api("/bed-agreements"), BEDS_VIEW),
    "beds:agreement_create": Write(_p("brukerstyrt/ny/"), BED_AGREEMENT),
    "api:create_pathway_bed_agreement": Write(_api("/bed-agreements"), BED_AGREEMENT),
    # One agreement and its bookings.
    "api:bed_agreement": Read(lambda w: f"/api/bed-agreements/{w.agreement.public_id}",
                              BEDS_VIEW),
    "api:bed_free_nights": Read(
        lambda w: f"/api/bed-agreements/{w.agreement.public_id}/free-nights", BEDS_VIEW),
    "beds:accept": Write(lambda w: f"/meg/brukerstyrt/{w.agreement.public_id}/godta/",
                         BED_ACCEPT),
    "api:accept_bed_agreement": Write(
        lambda w: f"/api/bed-agreements/{w.agreement.public_id}/accept", BED_ACCEPT),
    "beds:book": Write(lambda w: f"/meg/brukerstyrt/{w.agreement.public_id}/bestill/", BED_BOOK),
    "api:book_bed": Write(lambda w: f"/api/bed-agreements/{w.agreement.public_id}/bookings",
                          BED_BOOK),
    "beds:cancel": Write(lambda w: f"/brukerstyrt/opphold/{w.booking.public_id}/avbestill/",
                         BED_BOOK),
    "api:cancel_bed_booking": Write(
        lambda w: f"/api/bed-bookings/{w.booking.public_id}/cancel", BED_BOOK),
    "beds:arrive": Write(lambda w: f"/brukerstyrt/opphold/{w.booking.public_id}/ankomst/",
                         BED_UNIT),
    "api:arrive_bed_booking": Write(
        lambda w: f"/api/bed-bookings/{w.booking.public_id}/arrive", BED_UNIT),
    "beds:refuse": Write(lambda w: f"/brukerstyrt/opphold/{w.booking.public_id}/avvis/",
                         BED_UNIT),
    "api:refuse_bed_booking": Write(
        lambda w: f"/api/bed-bookings/{w.booking.public_id}/refuse", BED_UNIT),
    "beds:depart": Write(lambda w: f"/brukerstyrt/opphold/{w.booking.public_id}/utreise/",
                         BED_UNIT),
    "api:depart_bed_booking": Write(
        lambda w: f"/api/bed-bookings/{w.booking.public_id}/depart", BED_UNIT),
    # --- discharge ---------------------------------------------------------------------------
    # The discharge page with the checkpoints, and the gate (discharging is STAY everywhere).
    "discharge:stay_checkpoints": Read(_stay("utskriving/"), DISCHARGE_VIEW),
    "discharge:stay_discharge": Write(_stay("utskriv/"), STAY),
    "discharge:checkpoint_tick": Write(_stay("sjekkpunkt/gp_informed/kryss-av/"), CHECKPOINT_TICK),
    "discharge:checkpoint_untick": Write(_stay("sjekkpunkt/gp_informed/angre/"), CHECKPOINT_TICK),
    "api:stay_checkpoints_get": Read(_stay_api("/checkpoints"), DISCHARGE_VIEW),
    "api:checkpoint_tick": Write(_stay_api("/checkpoints/gp_informed/tick"), CHECKPOINT_TICK),
    "api:checkpoint_untick": Write(_stay_api("/checkpoints/gp_informed/untick"), CHECKPOINT_TICK),
    "discharge:team_overview": Read(_p("samtidighet/"), OVERVIEW_VIEW),
    "discharge:discharges_ahead": Open("one's own list: the stays on pathways one works on"),
    "api:discharges_ahead": Open("one's own list: the stays on pathways one works on"),
    "api:team_overview": Read(_api("/overview"), OVERVIEW_VIEW),
    # --- meetings ----------------------------------------------------------------------------
    # The patient's own list names no pathway.
    "meetings:portal": Open("the signed-in patient's own (tests/meetings)"),
    "api:my_meetings": Open("the signed-in patient's own (tests/meetings)"),
    "meetings:pathway_meetings": Read(_p("moter/"), MEETING_VIEW),
    "api:pathway_meetings": Read(_api("/meetings"), MEETING_VIEW),
    "meetings:meeting": Read(_meeting(""), MEETING_VIEW),
    "api:meeting": Read(_meeting_api(""), MEETING_VIEW),
    "meetings:meeting_ics": Read(
        lambda w: f"/moter/{w.meeting.public_id}/deltakere/{_first(w)}/kalender.ics",
        MEETING_VIEW),
    "api:meeting_ics": Read(_meeting_api("/ics"), MEETING_VIEW),
    "meetings:meeting_arrange": Write(_p("moter/ny/"), MEETING_MANAGE),
    "api:arrange_meeting": Write(_api("/meetings"), MEETING_MANAGE),
    "meetings:meeting_update": Write(_meeting("endre/"), MEETING_MANAGE),
    "api:update_meeting": Write(_meeting_api(""), MEETING_MANAGE, "patch"),
    "meetings:meeting_cancel": Write(_meeting("avlys/"), MEETING_MANAGE),
    "api:cancel_meeting": Write(_meeting_api("/cancel"), MEETING_MANAGE),
    "meetings:meeting_held": Write(_meeting("holdt/"), MEETING_MANAGE),
    "api:mark_meeting_held": Write(_meeting_api("/held"), MEETING_MANAGE),
    "meetings:meeting_notes": Write(_meeting("referat/"), MEETING_MANAGE),
    "api:write_minutes": Write(_meeting_api("/minutes"), MEETING_MANAGE, "put"),
    "meetings:participant_add": Write(_meeting("deltakere/"), MEETING_MANAGE),
    "api:add_participant": Write(_meeting_api("/participants"), MEETING_MANAGE),
    "meetings:participant_remove": Write(
        lambda w: f"/moter/{w.meeting.public_id}/deltakere/{_first(w)}/fjern/", MEETING_MANAGE),
    "api:remove_participant": Write(
        lambda w: f"/api/meetings/{w.meeting.public_id}/participants/{_first(w)}",
        MEETING_MANAGE, "delete"),
    "meetings:decision_add": Write(_meeting("vedtak/"), MEETING_MANAGE),
    "api:add_decision": Write(_meeting_api("/decisions"), MEETING_MANAGE),
    "meetings:decision_task": Write(
        lambda w: f"/moter/vedtak/{w.decision.public_id}/oppgave/", MEETING_MANAGE),
    "api:decision_task": Write(
        lambda w: f"/api/meeting-decisions/{w.decision.public_id}/task", MEETING_MANAGE),
    # --- messaging ---
    # A pathway's threads: the team's (MESSAGE_TEAM) and the one with the patient
    # (MESSAGE_PATIENT). Reading one is a read: refused, it is 404 to everyone (the policy's
    # READ_ACTIONS do not name the message actions, so the matrix says so per row); writing in
    # one is refused as not found to whoever may not read it (seen=). The patient reads and
    # writes on their own page. My threads, my notifications and my e-mail choices are the
    # signed-in person's own.
    "messaging:pathway": Read(_p("meldinger/"), MESSAGE_TEAM,
                              redirects=(("patient", "/meg/meldinger/"),)),
    "messaging:post": Write(_p("meldinger/team/"), MESSAGE_TEAM, seen=MESSAGE_TEAM),
    "api:pathway_team_thread": Read(_api("/threads/team"), MESSAGE_TEAM),
    "api:pathway_patient_thread": Read(_api("/threads/patient"), MESSAGE_PATIENT),
    "api:post_message": Write(_api("/threads/patient/messages"), MESSAGE_PATIENT,
                              seen=MESSAGE_PATIENT),
    "api:mark_thread_read": Write(_api("/threads/team/read"), MESSAGE_TEAM, seen=MESSAGE_TEAM),
    "messaging:inbox": Open("my threads: of the pathways my roles may read (tests/messaging)"),
    "api:message_inbox": Open("my threads: of the pathways my roles may read "
                              "(tests/messaging)"),
    "messaging:portal": Open("the signed-in patient's own (tests/messaging)"),
    "messaging:notifications": Open("the signed-in person's own (tests/messaging)"),
    "api:notifications": Open("the signed-in person's own (tests/messaging)"),
    "api:mark_notifications_read": Open("the signed-in person's own (tests/messaging)"),
    "messaging:preferences": Open("the signed-in person's own (tests/messaging)"),
    "api:notification_preferences": Open("the signed-in person's own (tests/messaging)"),
    "api:set_notification_preferences": Open("the signed-in person's own (tests/messaging)"),
    # --- tasks ---------------------------------------------------------------------------------
    # "Mine oppgaver" lists only the asker's own tasks; the patient's page only theirs.
    "tasks:mine": Open("the signed-in person's own tasks (tests/tasks)"),
    "api:my_tasks": Open("the signed-in person's own tasks (tests/tasks)"),
    "tasks:portal": Open("the signed-in patient's own (tests/tasks)"),
    # The pathway's tasks: staff read all, the patient their own (on /meg/oppgaver/).
    "tasks:pathway_tasks": Read(_p("oppgaver/"), TASK_VIEW,
                                redirects=(("patient", "/meg/oppgaver/"),)),
    "api:pathway_tasks": Read(_api("/tasks"), TASK_VIEW),
    "tasks:task_create": Write(_p("oppgaver/ny/"), TASK_MANAGE),
    "api:create_task": Write(_api("/tasks"), TASK_MANAGE),
    # One task, the coordinator's: the patient may not see it, so is told "not found" too.
    "tasks:task_complete": Write(lambda w: f"/oppgaver/{w.task.public_id}/utfort/",
                                 TASK_MANAGE, seen=TASK_MANAGE),
    "api:complete_task": Write(lambda w: f"/api/tasks/{w.task.public_id}/complete",
                               TASK_MANAGE, seen=TASK_MANAGE),
    "tasks:task_reopen": Write(lambda w: f"/oppgaver/{w.task.public_id}/gjenapne/",
                               TASK_MANAGE, seen=TASK_MANAGE),
    "api:reopen_task": Write(lambda w: f"/api/tasks/{w.task.public_id}/reopen",
                             TASK_MANAGE, seen=TASK_MANAGE),
    "tasks:task_cancel": Write(lambda w: f"/oppgaver/{w.task.public_id}/avbryt/",
                               TASK_MANAGE, seen=TASK_MANAGE),
    "api:cancel_task": Write(lambda w: f"/api/tasks/{w.task.public_id}/cancel",
                             TASK_MANAGE, seen=TASK_MANAGE),
    "api:update_task": Write(lambda w: f"/api/tasks/{w.task.public_id}", TASK_MANAGE,
                             "patch", seen=TASK_MANAGE),
}
# Reads refused as not found although the policy's READ_ACTIONS do not name them.
NOT_FOUND_READS = {MESSAGE_TEAM, MESSAGE_PATIENT}

# Everyone asked: each role of the policy (ROLES: the fixture standing in for it, with a staff
# member with no role on the pathway), and the people the domain names beside them. Those
# stand as a role of the policy, or as nobody (None: every read 404, every write refused).
PEOPLE = dict(ROLES) | {
    "consent:beds": "kin_beds",
    "consent:meetings": "kin_meetings",
    "trust_person": "trust_person",
    "kin_without_consent": "kin_without_consent",
    "kin_withdrawn": "kin_withdrawn",
    "blocked_gp": "blocked_gp",
    "emergency_expired": "emergency_expired",
    "other_municipality": "other_municipality",
}
STANDS_AS: dict[str, str | None] = {
    "trust_person": "consent:pathway", "kin_without_consent": None, "kin_withdrawn": None,
    "blocked_gp": None, "emergency_expired": None, "other_municipality": None,
}


def _kin(pathway, username: str, *, kind: str = "next_of_kin",  # type: ignore[no-untyped-def]
         consent: bool = True, withdrawn: bool = False):
    from django.contrib.auth import get_user_model

    from ettervern.patients.models import NextOfKin

    user = get_user_model().objects.create_user(username=username, password=None)
    kin = NextOfKin.objects.create(patient_id=pathway.patient_id, name=username, kind=kind,
                                   relation="venn", user=user)
    if consent:
        Consent.objects.create(patient_id=pathway.patient_id, next_of_kin=kin, kind="pathway",
                               given_at=clock.now(), valid_from=clock.today(),
                               withdrawn_at=clock.now() if withdrawn else None)
    return user


@pytest.fixture
def trust_person(pathway):  # type: ignore[no-untyped-def]
    return _kin(pathway, "tillitsperson", kind="trust_person")


@pytest.fixture
def kin_without_consent(pathway):  # type: ignore[no-untyped-def]
    return _kin(pathway, "uten_samtykke", consent=False)


@pytest.fixture
def kin_withdrawn(pathway):  # type: ignore[no-untyped-def]
    """Right after the patient withdrew the consent."""
    return _kin(pathway, "trukket", withdrawn=True)


@pytest.fixture
def blocked_gp(pathway, coordinator, patient_user):  # type: ignore[no-untyped-def]
    """A GP on the care team whom the patient has blocked."""
    from ettervern.pathways import services as pathway_services
    from ettervern.rights.models import Block
    from tests import factories

    person = factories.staff(factories.Staff.Profession.GP,
                             units=[factories.unit(factories.Unit.Kind.GP)], username="sperret")
    pathway_services.careteam_add(actor=act(coordinator), pathway=pathway, staff=person,
                                  role=CareTeamMember.Role.GP)
    Block.objects.create(patient_id=pathway.patient_id, staff=person, created_by=patient_user)
    return person


@pytest.fixture
def emergency_expired(pathway):  # type: ignore[no-untyped-def]
    """A clinician elsewhere whose emergency access ran out an hour ago."""
    import datetime as dt

    from ettervern.rights.models import EmergencyAccess
    from tests import factories

    person = factories.staff(factories.Staff.Profession.CLINICIAN,
                             units=[factories.unit(factories.Unit.Kind.OUTPATIENT)],
                             username="utlopt")
    EmergencyAccess.objects.create(
        pathway=pathway, patient_id=pathway.patient_id, staff=person,
        unit=person.units.get(), reason="Akutt innleggelse, trenger kriseplanen",
        opened_at=clock.now() - dt.timedelta(hours=5),
        expires_at=clock.now() - dt.timedelta(hours=1))
    return person


@pytest.fixture
def other_municipality(db):  # type: ignore[no-untyped-def]
    """The municipal contact of another municipality: no role here."""
    from tests import factories

    return factories.staff(factories.Staff.Profession.MUNICIPAL,
                           units=[factories.unit(factories.Unit.Kind.MUNICIPAL)],
                           username="annen_kommune")


def _named_routes(patterns: list[Any], namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            if inner != "admin:":  # Django's admin: directory and catalogue, no patient data
                names |= _named_routes(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_route_is_in_the_matrix() -> None:
    routes = _named_routes(get_resolver().url_patterns)
    assert routes - set(ROUTES) == set(), "classify these routes in ROUTES"
    assert set(ROUTES) - routes == set(), "these routes are gone: remove them from ROUTES"


def _bed_agreement(pathway, coordinator, patient_user):  # type: ignore[no-untyped-def]
    """An accepted agreement with a unit of another trust, and a stay booked under it."""
    from ettervern.beds import services as bed_services
    from tests import factories
    from tests.beds.conftest import day, make_programme

    unit = factories.unit(factories.Unit.Kind.RESIDENTIAL, name="Brukerstyrt døgn")
    admin = factories.staff(factories.Staff.Profession.ADMIN, units=[unit],
                            username="sengeadmin")
    agreement = bed_services.agreement_create(
        actor=act(coordinator), pathway=pathway, programme=make_programme(admin, unit),
        valid_from=day(0), valid_to=day(90), max_stays=3, max_days_per_stay=5)
    bed_services.agreement_accept(actor=act(patient_user), agreement=agreement)
    agreement.refresh_from_db()
    booking = bed_services.booking_create(actor=act(patient_user), agreement=agreement,
                                          arrival=day(0), departure=day(2))
    return agreement, booking


def _meeting_and_decision(pathway, coordinator):  # type: ignore[no-untyped-def]
    """A cooperation meeting before discharge in a week, and a decision recorded at it."""
    from ettervern.meetings import services as meeting_services
    from tests.meetings.conftest import at

    meeting = meeting_services.meeting_arrange(
        actor=act(coordinator), pathway=pathway, kind="before_discharge", starts_at=at(7),
        ends_at=at(7, 11), place="Døgnavdelingen")
    decision = meeting_services.decision_add(actor=act(coordinator), meeting=meeting,
                                             text="Bolig avklares")
    return meeting, decision


@pytest.fixture
def world(pathway, coordinator, section_types, treating_clinician, specialist, kin_user,  # type: ignore[no-untyped-def]  # noqa: F811
          patient_user):
    from ettervern.pathways import services as pathway_services
    from ettervern.pathways.phases import Phase

    pathway_services.pathway_transition(actor=act(coordinator), pathway=pathway,
                                        to_phase=Phase.PRE_ADMISSION, on=clock.today())
    pathway.refresh_from_db()
    plan = plan_services.plan_create(actor=act(coordinator), pathway=pathway)
    measure = plan_services.measure_add(actor=act(coordinator), plan=plan, expected_version=1,
                                        section="housing", description="Bolig",
                                        responsible=coordinator)
    mapping_round = mapping_services.mapping_round_start(actor=act(coordinator), pathway=pathway,
                                                         on=days_ago(1))
    agreement, booking = _bed_agreement(pathway, coordinator, patient_user)
    meeting, decision = _meeting_and_decision(pathway, coordinator)
    return World(pathway=pathway, stay=pathway.stays.get(),
                 member=CareTeamMember.objects.get(pathway=pathway, staff=specialist),
                 item=ChecklistItem.objects.filter(pathway=pathway).first(), measure=measure,
                 round=mapping_round,
                 consent=Consent.objects.filter(patient_id=pathway.patient_id).first(),
                 agreement=agreement, booking=booking, meeting=meeting, decision=decision,
                 task=_task(pathway, coordinator))


def _task(pathway, coordinator):  # type: ignore[no-untyped-def]
    """An open task of the coordinator's on the pathway (tasks/)."""
    from ettervern.tasks import services as task_services

    return task_services.task_create(actor=act(coordinator), pathway=pathway, owner=coordinator,
                                     title="Ring fastlegen", working_days=2)


def _permits(who: str, action: str) -> bool:
    role = STANDS_AS.get(who, who)
    return role is not None and action in EXPECTED.get(role, set())


def _refusal(who: str, action: str, seen_with: str = VIEW) -> int:
    """404 for every refused read, and to anyone who may not see what a write changes; 403
    only to someone who may see it, for a thing their role may not do."""
    return 404 if (action in READ_ACTIONS | NOT_FOUND_READS
                   or not _permits(who, seen_with)) else 403


# Cells known to answer otherwise, each with why; strict, so that the fix turns them red
# until the entry is removed. None now.
KNOWN: dict[tuple[str, str], str] = {}


def _cells() -> list[Any]:
    return [pytest.param(route, who, marks=pytest.mark.xfail(strict=True,
                                                             reason=KNOWN[(route, who)]))
            if (route, who) in KNOWN else (route, who)
            for route, spec in ROUTES.items() if not isinstance(spec, Open) for who in PEOPLE]


@pytest.mark.django_db
@pytest.mark.parametrize(("route", "who"), _cells())
def test_each_cell(route: str, who: str, request: Any, world: World,
                   specialist: Any, municipal: Any, nav: Any, gp: Any,
                   patient_user: Any, kin_user: Any, colleague: Any, outsider: Any) -> None:
    spec = ROUTES[route]
    person = request.getfixturevalue(PEOPLE[who])
    client = client_of(person)
    url = spec.path(world)
    if isinstance(spec, Read):
        response = client.get(url)
        if who in dict(spec.redirects):
            assert (response.status_code, response.get("Location")) == (
                302, dict(spec.redirects)[who]), (route, who)
            return
        expected = 200 if _permits(who, spec.action) else _refusal(who, spec.action)
        assert response.status_code == expected, (route, who, response.status_code)
        return
    assert isinstance(spec, Write)
    if _permits(who, spec.action):
        return  # what a permitted write does is each capability's own tests'
    before = (PathwayEvent.objects.count(), _versions(world))
    if url.startswith("/api/"):
        response = getattr(client, spec.method)(url, data="{}", content_type="application/json")
        refused = {_refusal(who, spec.action, spec.seen_with), 422}
    else:
        response = client.post(url, {})
        refused = {_refusal(who, spec.action, spec.seen_with)}
    assert response.status_code in refused, (route, who, response.status_code)
    assert (PathwayEvent.objects.count(), _versions(world)) == before, (route, who)


def _versions(world: World) -> list[int]:
    """The versions of what the writes change (any change moves one), and how many bed
    agreements and bookings there are (a write that makes one adds one)."""
    return [*(type(o).objects.get(pk=o.pk).version for o in
              (world.pathway, world.stay, world.member, world.item, world.measure, world.round,
               world.consent, world.pathway.patient, world.agreement, world.booking,
               world.meeting, world.decision, world.task)),
            Agreement.objects.count(), Booking.objects.count(), *_meeting_rows(), _task_count()]


def _meeting_rows() -> list[int]:
    """How many meetings, participants and decisions there are, and the meetings' iCalendar
    revisions (a write that adds, removes or re-sends one moves these)."""
    from ettervern.meetings.models import Decision, Meeting, Participant

    return [Meeting.objects.count(), Participant.objects.count(), Decision.objects.count(),
            sum(Meeting.objects.values_list("sequence", flat=True))]


def _task_count() -> int:
    from ettervern.tasks.models import Task

    return Task.objects.count()
