"""Every form on the pathway page: it works for the coordinator, is refused (and audited) for
a user whose role does not allow it, and bad input shows the message on the field and writes
nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ettervern.access.models import AuditEvent
from ettervern.core import clock
from ettervern.directory.models import Staff
from ettervern.pathways import services
from ettervern.pathways.models import (
    CareTeamMember,
    CoordinatorHandover,
    Pathway,
    PathwayEvent,
    Stay,
)
from ettervern.pathways.phases import Phase
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = clock.today()


def iso(day: dt.date) -> str:
    return day.isoformat()


@pytest.fixture
def gp(pathway):  # type: ignore[no-untyped-def]
    """A GP on the care team: may read the pathway, may change nothing."""
    person = factories.staff(Staff.Profession.GP, units=[factories.unit(factories.Unit.Kind.GP)])
    services.careteam_add(actor=factories.actor(pathway.coordinator), pathway=pathway,
                          staff=person, role=CareTeamMember.Role.GP)
    return person


@pytest.fixture
def gp_client(client_for, gp):  # type: ignore[no-untyped-def]
    return client_for(gp)


@pytest.fixture
def planned_stay(pathway, residential_unit):  # type: ignore[no-untyped-def]
    actor = factories.actor(pathway.coordinator)
    services.pathway_transition(actor=actor, pathway=pathway, to_phase=Phase.PRE_ADMISSION,
                                on=TODAY - dt.timedelta(days=5))
    stay = services.stay_plan(actor=actor, pathway=pathway, unit=residential_unit,
                              planned_start=TODAY - dt.timedelta(days=2))
    pathway.refresh_from_db()
    return stay


def assert_denied(user, pathway, action: str) -> None:  # type: ignore[no-untyped-def]
    assert AuditEvent.objects.filter(actor_id=user.pk, pathway_id=pathway.pk, action=action,
                                     outcome="denied").exists()


def page_url(pathway) -> str:  # type: ignore[no-untyped-def]
    return reverse("pathways:pathway", args=[pathway.public_id])


# --- phase ---------------------------------------------------------------------------------

def test_move_phase(coord_client, pathway):  # type: ignore[no-untyped-def]
    response = coord_client.post(reverse("pathways:pathway_transition", args=[pathway.public_id]), {
        "transition-to_phase": Phase.PRE_ADMISSION, "transition-on": iso(TODAY),
        "transition-note": "Klar"}, follow=True)
    assert response.redirect_chain[0][0].startswith(page_url(pathway))
    assert "Fasen er endret." in response.content.decode()
    pathway.refresh_from_db()
    assert pathway.phase == Phase.PRE_ADMISSION


def test_move_phase_refused_for_gp(gp_client, gp, pathway):  # type: ignore[no-untyped-def]
    response = gp_client.post(reverse("pathways:pathway_transition", args=[pathway.public_id]), {
        "transition-to_phase": Phase.PRE_ADMISSION, "transition-on": iso(TODAY)})
    assert response.status_code == 403
    assert_denied(gp.user, pathway, "pathway.transition")
    pathway.refresh_from_db()
    assert pathway.phase == Phase.CONTACT


def test_move_phase_future_date_shows_message_and_writes_nothing(coord_client, pathway):  # type: ignore[no-untyped-def]
    events = PathwayEvent.objects.count()
    response = coord_client.post(reverse("pathways:pathway_transition", args=[pathway.public_id]), {
        "transition-to_phase": Phase.PRE_ADMISSION,
        "transition-on": iso(TODAY + dt.timedelta(days=3))})
    html = response.content.decode()
    assert response.status_code == 422
    assert "kan ikke registreres på en dato fram i tid" in html
    assert 'aria-describedby="id_transition-on-error"' in html
    assert 'id="id_transition-on-error"' in html
    assert PathwayEvent.objects.count() == events
    pathway.refresh_from_db()
    assert pathway.phase == Phase.CONTACT


def test_missing_date_is_a_form_error(coord_client, pathway):  # type: ignore[no-untyped-def]
    response = coord_client.post(reverse("pathways:pathway_transition", args=[pathway.public_id]), {
        "transition-to_phase": Phase.PRE_ADMISSION, "transition-on": ""})
    assert response.status_code == 422
    assert "Dette feltet er påkrevd." in response.content.decode()


# --- details (optimistic locking) ---------------------------------------------------------

def test_edit_details(coord_client, pathway):  # type: ignore[no-untyped-def]
    response = coord_client.post(reverse("pathways:pathway_update", args=[pathway.public_id]), {
        "details-version": pathway.version, "details-referral_received_on": iso(TODAY),
        "details-referrer": "Legevakten", "details-first_contact_on": "",
        "details-note": "Ny info"})
    assert response.status_code == 302
    pathway.refresh_from_db()
    assert pathway.referrer == "Legevakten" and pathway.note == "Ny info"


def test_stale_edit_says_someone_else_changed_it(coord_client, pathway):  # type: ignore[no-untyped-def]
    old_version = pathway.version
    services.pathway_update(actor=factories.actor(pathway.coordinator), pathway=pathway,
                            expected_version=old_version,
                            referral_received_on=pathway.referral_received_on,
                            referrer="Først", first_contact_on=None, note="")
    response = coord_client.post(reverse("pathways:pathway_update", args=[pathway.public_id]), {
        "details-version": old_version, "details-referral_received_on": iso(TODAY),
        "details-referrer": "Sist", "details-note": ""})
    assert response.status_code == 409
    assert "Noen andre har endret" in response.content.decode()
    pathway.refresh_from_db()
    assert pathway.referrer == "Først"


def test_edit_refused_for_gp(gp_client, gp, pathway):  # type: ignore[no-untyped-def]
    response = gp_client.post(reverse("pathways:pathway_update", args=[pathway.public_id]), {
        "details-version": pathway.version, "details-referrer": "X"})
    assert response.status_code == 403
    assert_denied(gp.user, pathway, "pathway.edit")


# --- stays ---------------------------------------------------------------------------------

def test_plan_stay(coord_client, pathway, residential_unit):  # type: ignore[no-untyped-def]
    response = coord_client.post(reverse("pathways:stay_plan", args=[pathway.public_id]), {
        "stay-unit": str(residential_unit.public_id),
        "stay-planned_start": iso(TODAY + dt.timedelta(days=7)),
        "stay-planned_end": iso(TODAY + dt.timedelta(days=30))}, follow=True)
    assert "Oppholdet er planlagt." in response.content.decode()
    stay = Stay.objects.get(pathway=pathway)
    assert stay.unit == residential_unit and stay.status == Stay.Status.PLANNED


def test_plan_stay_refused_for_gp(gp_client, gp, pathway, residential_unit):  # type: ignore[no-untyped-def]
    response = gp_client.post(reverse("pathways:stay_plan", args=[pathway.public_id]), {
        "stay-unit": str(residential_unit.public_id),
        "stay-planned_start": iso(TODAY + dt.timedelta(days=7))})
    assert response.status_code == 403
    assert "Ikke tillatt" in response.content.decode()
    assert_denied(gp.user, pathway, "stay.plan")
    assert not Stay.objects.exists()


def test_plan_stay_refused_for_outsider_with_404(outsider_client, outsider, pathway,
                                                 residential_unit):  # type: ignore[no-untyped-def]
    response = outsider_client.post(reverse("pathways:stay_plan", args=[pathway.public_id]), {
        "stay-unit": str(residential_unit.public_id),
        "stay-planned_start": iso(TODAY + dt.timedelta(days=7))})
    assert response.status_code == 404
    assert_denied(outsider.user, pathway, "stay.plan")
    assert not Stay.objects.exists()


def test_plan_stay_end_before_start_is_shown_on_the_field(coord_client, pathway,
                                                          residential_unit):  # type: ignore[no-untyped-def]
    response = coord_client.post(reverse("pathways:stay_plan", args=[pathway.public_id]), {
        "stay-unit": str(residential_unit.public_id),
        "stay-planned_start": iso(TODAY + dt.timedelta(days=7)),
        "stay-planned_end": iso(TODAY + dt.timedelta(days=1))})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_stay-planned_end-error"' in html
    assert "Planlagt slutt er før planlagt start." in html
    assert not Stay.objects.exists()


def test_admit_and_discharge(coord_client, pathway, planned_stay):  # type: ignore[no-untyped-def]
    prefix = f"stay-{planned_stay.public_id}"
    admit_url = reverse("pathways:stay_admit", args=[planned_stay.public_id])
    admit = {f"{prefix}-admit-on": iso(TODAY - dt.timedelta(days=1))}
    # The pre-admission checklist is still open: the page says so and lets the admission go on.
    question = coord_client.post(admit_url, admit)
    assert question.status_code == 200
    assert "Bolig: kontrakt og husleie" in question.content.decode()
    planned_stay.refresh_from_db()
    assert planned_stay.status == Stay.Status.PLANNED
    response = coord_client.post(admit_url, {**admit, "confirmed": "yes"})
    assert response.status_code == 302
    planned_stay.refresh_from_db()
    pathway.refresh_from_db()
    assert planned_stay.status == Stay.Status.ONGOING and pathway.phase == Phase.RESIDENTIAL
    url = reverse("discharge:stay_discharge", args=[planned_stay.public_id])
    # The checkpoints before discharge are open: the discharge page asks for the reason.
    data = {"on": iso(TODAY), "reason": "Pasienten ønsket å reise hjem."}
    # A discharge cannot be undone: the page asks first, and nothing changes until confirmed.
    question = coord_client.post(url, data)
    assert question.status_code == 200
    assert "kan ikke angres" in question.content.decode()
    assert "Fastlegen er informert" in question.content.decode()
    planned_stay.refresh_from_db()
    assert planned_stay.status == Stay.Status.ONGOING
    response = coord_client.post(url, {**data, "confirmed": "yes"}, follow=True)
    assert "Pasienten er skrevet ut." in response.content.decode()
    planned_stay.refresh_from_db()
    pathway.refresh_from_db()
    assert planned_stay.status == Stay.Status.DISCHARGED and pathway.phase == Phase.AFTERCARE


def test_discharge_before_admission_is_refused_with_message(coord_client, pathway, planned_stay):  # type: ignore[no-untyped-def]
    prefix = f"stay-{planned_stay.public_id}"
    coord_client.post(reverse("pathways:stay_admit", args=[planned_stay.public_id]),
                      {f"{prefix}-admit-on": iso(TODAY), "confirmed": "yes"})
    response = coord_client.post(
        reverse("discharge:stay_discharge", args=[planned_stay.public_id]),
        {"on": iso(TODAY - dt.timedelta(days=2)), "reason": "Pasienten ønsket å reise hjem.",
         "confirmed": "yes"})
    assert response.status_code == 422
    assert "Utskrivingsdatoen er før innleggelsesdatoen." in response.content.decode()
    planned_stay.refresh_from_db()
    assert planned_stay.status == Stay.Status.ONGOING


def test_admit_refused_for_gp(gp_client, gp, pathway, planned_stay):  # type: ignore[no-untyped-def]
    prefix = f"stay-{planned_stay.public_id}"
    response = gp_client.post(reverse("pathways:stay_admit", args=[planned_stay.public_id]),
                              {f"{prefix}-admit-on": iso(TODAY)})
    assert response.status_code == 403
    assert_denied(gp.user, pathway, "stay.manage")
    planned_stay.refresh_from_db()
    assert planned_stay.status == Stay.Status.PLANNED


def test_cancel_stay_asks_for_a_reason_and_a_confirmation(coord_client, planned_stay):  # type: ignore[no-untyped-def]
    prefix = f"stay-{planned_stay.public_id}-cancel"
    url = reverse("pathways:stay_cancel", args=[planned_stay.public_id])
    without = coord_client.post(url, {f"{prefix}-version": planned_stay.version})
    assert without.status_code == 422
    assert f'id="id_{prefix}-reason-error"' in without.content.decode()
    data = {f"{prefix}-version": planned_stay.version, f"{prefix}-reason": "Flyttet til mars."}
    question = coord_client.post(url, data)
    assert question.status_code == 200 and "Ja, avlys oppholdet" in question.content.decode()
    planned_stay.refresh_from_db()
    assert planned_stay.status == Stay.Status.PLANNED
    response = coord_client.post(url, {**data, "confirmed": "yes"})
    assert response.status_code == 302
    planned_stay.refresh_from_db()
    assert planned_stay.status == Stay.Status.CANCELLED
    assert planned_stay.cancel_reason == "Flyttet til mars."


def test_cancel_refused_for_gp(gp_client, gp, pathway, planned_stay):  # type: ignore[no-untyped-def]
    prefix = f"stay-{planned_stay.public_id}-cancel"
    response = gp_client.post(reverse("pathways:stay_cancel", args=[planned_stay.public_id]),
                              {f"{prefix}-version": planned_stay.version,
                               f"{prefix}-reason": "Feil."})
    assert response.status_code == 403  # refused before the question is asked
    assert_denied(gp.user, pathway, "stay.manage")
    planned_stay.refresh_from_db()
    assert planned_stay.status == Stay.Status.PLANNED


# --- care team -----------------------------------------------------------------------------

def test_add_and_end_team_member(coord_client, pathway):  # type: ignore[no-untyped-def]
    nav = factories.staff(Staff.Profession.NAV, units=[factories.unit(factories.Unit.Kind.NAV)])
    response = coord_client.post(reverse("pathways:careteam_add", args=[pathway.public_id]), {
        "team-staff": str(nav.public_id), "team-role": CareTeamMember.Role.NAV_CONTACT})
    assert response.status_code == 302
    member = CareTeamMember.objects.get(pathway=pathway, staff=nav)
    html = coord_client.get(page_url(pathway)).content.decode()
    assert "NAV-kontakt" in html and nav.name in html
    end = {f"member-{member.public_id}-version": member.version}
    question = coord_client.post(reverse("pathways:careteam_end", args=[member.public_id]), end)
    assert "Ja, avslutt rollen" in question.content.decode()
    response = coord_client.post(reverse("pathways:careteam_end", args=[member.public_id]),
                                 {**end, "confirmed": "yes"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.ended_at is not None


def test_wrong_role_for_profession_is_shown_on_the_field(coord_client, pathway):  # type: ignore[no-untyped-def]
    nav = factories.staff(Staff.Profession.NAV, units=[factories.unit(factories.Unit.Kind.NAV)])
    response = coord_client.post(reverse("pathways:careteam_add", args=[pathway.public_id]), {
        "team-staff": str(nav.public_id), "team-role": CareTeamMember.Role.GP})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_team-staff-error"' in html
    assert "kan ikke ha rollen Fastlege" in html
    assert not CareTeamMember.objects.filter(staff=nav).exists()


def test_team_changes_refused_for_gp(gp_client, gp, pathway):  # type: ignore[no-untyped-def]
    nav = factories.staff(Staff.Profession.NAV, units=[factories.unit(factories.Unit.Kind.NAV)])
    response = gp_client.post(reverse("pathways:careteam_add", args=[pathway.public_id]), {
        "team-staff": str(nav.public_id), "team-role": CareTeamMember.Role.NAV_CONTACT})
    assert response.status_code == 403
    member = CareTeamMember.objects.get(staff=gp)
    response = gp_client.post(reverse("pathways:careteam_end", args=[member.public_id]), {
        f"member-{member.public_id}-version": member.version, "confirmed": "yes"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(actor_id=gp.user.pk, action="careteam.manage",
                                     outcome="denied").count() == 2
    member.refresh_from_db()
    assert member.ended_at is None


# --- coordinator hand-over -----------------------------------------------------------------

def handover_url(pathway: Pathway) -> str:
    return reverse("pathways:coordinator_handover", args=[pathway.public_id])


def test_handover(coord_client, clinic, pathway):  # type: ignore[no-untyped-def]
    successor = factories.staff(units=[clinic])
    data = {"handover-version": pathway.version, "handover-to_staff": str(successor.public_id),
            "handover-reason": "Permisjon"}
    question = coord_client.post(handover_url(pathway), data)
    assert "Ja, overfør" in question.content.decode()
    assert Pathway.objects.get(pk=pathway.pk).coordinator != successor
    response = coord_client.post(handover_url(pathway), {**data, "confirmed": "yes"})
    assert response.status_code == 302
    pathway.refresh_from_db()
    assert pathway.coordinator == successor
    assert CoordinatorHandover.objects.get(pathway=pathway).reason == "Permisjon"


def test_handover_without_reason_is_refused_on_the_field(coord_client, clinic, pathway):  # type: ignore[no-untyped-def]
    successor = factories.staff(units=[clinic])
    response = coord_client.post(handover_url(pathway), {
        "handover-version": pathway.version, "handover-to_staff": str(successor.public_id),
        "confirmed": "yes"})
    assert response.status_code == 422
    assert 'id="id_handover-reason-error"' in response.content.decode()
    assert not CoordinatorHandover.objects.exists()


def test_handover_to_self_shows_message_and_writes_nothing(coord_client, coordinator, pathway):  # type: ignore[no-untyped-def]
    response = coord_client.post(handover_url(pathway), {
        "handover-version": pathway.version, "handover-to_staff": str(coordinator.public_id),
        "handover-reason": "Feil.", "confirmed": "yes"})
    assert response.status_code == 409
    assert "er allerede koordinator" in response.content.decode()
    assert not CoordinatorHandover.objects.exists()


def test_handover_refused_for_gp(gp_client, gp, clinic, pathway):  # type: ignore[no-untyped-def]
    successor = factories.staff(units=[clinic])
    response = gp_client.post(handover_url(pathway), {
        "handover-version": pathway.version, "handover-to_staff": str(successor.public_id),
        "handover-reason": "Feil."})
    assert response.status_code == 403
    assert_denied(gp.user, pathway, "careteam.handover")
    assert Pathway.objects.get(pk=pathway.pk).coordinator != successor


def test_forms_need_post(coord_client, pathway):  # type: ignore[no-untyped-def]
    url = reverse("pathways:stay_plan", args=[pathway.public_id])
    assert coord_client.get(url).status_code == 405


def test_language_switch_after_a_failed_post_returns_to_the_page(coord_client, pathway):  # type: ignore[no-untyped-def]
    response = coord_client.post(reverse("pathways:pathway_transition", args=[pathway.public_id]), {
        "transition-to_phase": Phase.PRE_ADMISSION, "transition-on": ""})
    assert f'name="next" value="{page_url(pathway)}"' in response.content.decode()
