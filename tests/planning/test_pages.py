"""The plan's pages: the editor, the conflict view, the patient's plain plan, versions, PDF."""

from __future__ import annotations

import datetime as dt

import pytest

from ettervern.core import clock
from ettervern.planning.plan import services
from ettervern.planning.plan.models import Measure, Plan, PlanComment, PlanSection
from tests.pathways.helpers import act
from tests.planning.conftest import page_client

TODAY = clock.today()


def plan_url(plan: Plan, tail: str = "") -> str:
    return f"/forlop/{plan.pathway.public_id}/plan/{tail}"


def test_editor_shows_every_section_and_saves(plan, coordinator, municipal):
    client = page_client(coordinator)
    page = client.get(plan_url(plan)).content.decode()
    for title in ("Plan for stabile boforhold", "Økonomiske forhold", "Tilbud til pårørende",
                  "Oppfølging fra kommunen"):
        assert title in page
    response = client.post(plan_url(plan, "mal/housing/"), {
        "section-housing-version": 1, "section-housing-goals": "Egen leilighet"})
    assert response.status_code == 302
    response = client.post(plan_url(plan, "tiltak/"), {
        "section": "housing", "add-housing-version": 2,
        "add-housing-description": "Søke kommunal bolig",
        "add-housing-responsible": str(municipal.public_id),
        "add-housing-start_on": str(TODAY), "add-housing-status": "planned"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Measure.objects.get().responsible == municipal
    page = client.get(plan_url(plan)).content.decode()
    assert "Søke kommunal bolig" in page and "Egen leilighet" in page


def test_a_stale_save_shows_both_texts_and_loses_nothing(plan, coordinator, colleague):
    services.section_update(actor=act(colleague), plan=plan, section="housing",
                            expected_version=1, goals="Bo hos mor en stund")
    response = page_client(coordinator).post(plan_url(plan, "mal/housing/"), {
        "section-housing-version": 1, "section-housing-goals": "Egen leilighet i sentrum"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Bo hos mor en stund" in page and "Egen leilighet i sentrum" in page
    assert 'name="section-housing-version" value="2"' in page
    assert PlanSection.objects.get(plan=plan, section_type__key="housing").goals == \
        "Bo hos mor en stund"


def test_refusals_on_the_page(plan, coordinator, outsider):
    client = page_client(coordinator)
    response = client.post(plan_url(plan, "tiltak/"), {
        "section": "housing", "add-housing-version": 1, "add-housing-description": "Noe",
        "add-housing-responsible": str(outsider.public_id), "add-housing-status": "planned",
        "add-housing-start_on": str(TODAY), "add-housing-end_on": str(TODAY)})
    assert response.status_code == 422
    response = client.post(plan_url(plan, "tiltak/"), {
        "section": "housing", "add-housing-version": 1, "add-housing-description": "Noe",
        "add-housing-responsible": str(coordinator.public_id), "add-housing-status": "planned",
        "add-housing-start_on": str(TODAY), "add-housing-end_on": str(TODAY - dt.timedelta(1))})
    assert response.status_code == 422
    assert "Slutten er før starten" in response.content.decode()
    response = client.post(plan_url(plan, "lagre/"), {"plan-version": 1, "plan-goals": "x" * 2001})
    assert response.status_code == 422
    assert not Measure.objects.exists() and Plan.objects.get().version == 1


def test_patient_reads_plain_words_comments_and_agrees(plan, coordinator, patient_user):
    services.measure_add(actor=act(coordinator), plan=plan, expected_version=1,
                         section="housing", description="Søke kommunal bolig",
                         responsible=coordinator, start_on=TODAY)
    client = page_client(patient_user)
    page = client.get(plan_url(plan)).content.decode()
    assert "Din plan" in page and "Hvor du skal bo" in page
    assert "<table" not in page and "Søke kommunal bolig" in page
    assert Plan.objects.get().seen_version == 2
    assert client.post(plan_url(plan, "kommentar/"), {"comment-text": "Jeg vil ha hund."}) \
        .status_code == 302
    assert PlanComment.objects.get().text == "Jeg vil ha hund."
    assert client.post(plan_url(plan, "enig/"), {"agree-version": 2}).status_code == 302
    assert Plan.objects.get().agreed_to_current
    assert "Jeg har lest planen og er enig" not in client.get(plan_url(plan)).content.decode()


@pytest.mark.parametrize("role", ["kin_user", "outsider"])
def test_next_of_kin_and_outsiders_see_nothing(role, request, plan):
    client = page_client(request.getfixturevalue(role))
    for tail in ("", "versjoner/", "pdf/", "versjoner/?fra=1&til=1"):
        assert client.get(plan_url(plan, tail)).status_code == 404


def test_versions_and_the_difference(plan, coordinator):
    services.section_update(actor=act(coordinator), plan=plan, section="housing",
                            expected_version=1, goals="Egen leilighet")
    client = page_client(coordinator)
    assert "Versjon 2" in client.get(plan_url(plan, "versjoner/")).content.decode()
    page = client.get(plan_url(plan, "versjoner/?fra=1&til=2")).content.decode()
    assert "<ins>" in page and "Egen leilighet" in page and coordinator.name in page


def test_pdf_opens_and_holds_the_sections(plan, coordinator, municipal):
    import io

    from pypdf import PdfReader

    services.measure_add(actor=act(coordinator), plan=plan, expected_version=1,
                         section="municipal_followup", description="Samtale hver uke, Áŋŋá",
                         responsible=municipal, start_on=TODAY)
    response = page_client(coordinator).get(plan_url(plan, "pdf/"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    for expected in ("INDIVIDUELL PLAN FOR INTEGRERT ETTERVERN", "PLAN FOR STABILE BOFORHOLD",
                     "OPPFØLGING FRA KOMMUNEN", "TANNHELSE OG FASTLEGEOPPFØLGING",
                     "Samtale hver uke, Áŋŋá", plan.pathway.patient.full_name,
                     coordinator.name, "Side 1 av", "samtykke"):
        assert expected in text, expected


def test_each_read_leaves_one_audit_record(plan, coordinator):
    from ettervern.access.models import AuditEvent

    services.section_update(actor=act(coordinator), plan=plan, section="housing",
                            expected_version=1, goals="Egen leilighet")
    client = page_client(coordinator)
    for tail in ("", "versjoner/", "versjoner/?fra=1&til=2", "pdf/"):
        before = AuditEvent.objects.count()
        assert client.get(plan_url(plan, tail)).status_code == 200
        assert AuditEvent.objects.count() == before + 1, tail
        assert AuditEvent.objects.latest("id").action == "plan.view"


def test_keeping_a_coordinator_who_left_the_team_is_no_new_choice(plan, coordinator,
                                                                   municipal):
    from ettervern.pathways import services as pathway_services
    from ettervern.pathways.models import CareTeamMember

    services.plan_update(actor=act(coordinator), plan=plan, expected_version=1,
                         coordinator=municipal, period_start=None, period_end=None,
                         next_revision_on=None)
    member = CareTeamMember.objects.get(staff=municipal)
    pathway_services.careteam_end(actor=act(coordinator), member=member,
                                  expected_version=member.version)
    current = Plan.objects.select_related("coordinator", "pathway").get(pk=plan.pk)
    services.plan_update(actor=act(coordinator), plan=current, expected_version=2,
                         coordinator=current.coordinator, period_start=None, period_end=None,
                         next_revision_on=None, goals="Bo trygt")
    assert Plan.objects.get(pk=plan.pk).goals == "Bo trygt"
