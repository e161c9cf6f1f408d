"""Every plan page, for every role: who reads, who writes, and that a refusal saves nothing."""

from __future__ import annotations

import pytest
from django.test import Client

from ettervern.core import clock
from ettervern.planning.plan import services
from ettervern.planning.plan.models import Measure, Plan, PlanComment, PlanVersion
from tests.pathways.helpers import act
from tests.planning.conftest import page_client
from tests.planning.test_api import EDITORS, HOUSING, READERS, ROLES

TODAY = clock.today()


@pytest.fixture
def measure(plan, coordinator) -> Measure:  # type: ignore[no-untyped-def]
    return services.measure_add(actor=act(coordinator), plan=plan, expected_version=1,
                                section="housing", description="Søke bolig",
                                responsible=coordinator, start_on=TODAY)


def _client(request, role: str) -> Client:  # type: ignore[no-untyped-def]
    return Client() if role == "anonymous" else page_client(request.getfixturevalue(role))


def _refused(role: str, status: int, read: bool) -> None:
    if role == "anonymous":
        assert status == 302  # to the sign-in page
    elif role == "outsider" or (read and role not in READERS):
        assert status == 404
    else:
        assert status in (403, 404), status


@pytest.mark.parametrize("role", ROLES)
def test_reading_pages(role, request, measure, plan):
    client = _client(request, role)
    base = f"/forlop/{plan.pathway.public_id}/plan/"
    for tail in ("", "versjoner/", "versjoner/?fra=1&til=2", "pdf/"):
        status = client.get(base + tail).status_code
        if role in READERS:
            assert status == 200, (tail, status)
        else:
            _refused(role, status, read=True)


@pytest.mark.parametrize("role", ROLES)
def test_writing_pages(role, request, measure, plan, coordinator):
    client = _client(request, role)
    base = f"/forlop/{plan.pathway.public_id}/plan/"
    posts = [
        (EDITORS, base + "lagre/", {"plan-version": 2, "plan-goals": "Bo trygt"}),
        (HOUSING, base + "mal/housing/", {"section-housing-version": 2,
                                          "section-housing-goals": "Leilighet"}),
        (HOUSING, base + "tiltak/", {
            "section": "housing", "add-housing-version": 2, "add-housing-description": "Ny",
            "add-housing-responsible": str(coordinator.public_id),
            "add-housing-status": "planned"}),
        (HOUSING, f"/plan-tiltak/{measure.public_id}/", {
            f"measure-{measure.public_id}-version": 2,
            f"measure-{measure.public_id}-description": "Endret",
            f"measure-{measure.public_id}-responsible": str(coordinator.public_id),
            f"measure-{measure.public_id}-status": "ongoing"}),
        ({"patient_user"}, base + "kommentar/", {"comment-text": "Hei"}),
        ({"patient_user"}, base + "enig/", {"agree-version": 2}),
    ]
    for allowed, url, data in posts:
        before = Plan.objects.get(pk=plan.pk)
        # The version the page would show now (an earlier form of this test may have saved).
        data = {key: before.version if key.endswith("version") else value
                for key, value in data.items()}
        status = client.post(url, data).status_code
        if role in allowed:
            assert status == 302, (url, status)
        else:
            _refused(role, status, read=False)
            after = Plan.objects.get(pk=plan.pk)
            assert (after.version, after.agreed_version) == (before.version,
                                                             before.agreed_version), url
    if role not in READERS:
        assert PlanVersion.objects.filter(plan=plan).count() == 2
        assert not PlanComment.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_creating_on_the_page(role, request, section_types, pathway):
    client = _client(request, role)
    status = client.post(f"/forlop/{pathway.public_id}/plan/opprett/").status_code
    if role in EDITORS:
        assert status == 302
    else:
        _refused(role, status, read=False)
        assert not Plan.objects.exists()


ALL_SECTIONS = {"housing", "finances", "functioning", "specialist_followup", "networks",
                "next_of_kin", "dental_gp", "municipal_followup"}
# The sections each contributor's role owns (sections.TEMPLATE); editors have every one.
OWN_SECTIONS = {
    "coordinator": ALL_SECTIONS,
    "specialist": ALL_SECTIONS,
    "treating_clinician": {"functioning", "specialist_followup"},
    "municipal": {"housing", "finances", "functioning", "networks", "next_of_kin",
                  "municipal_followup"},
    "nav": {"housing", "finances", "networks"},
    "gp": {"dental_gp"},
}


def _sections_with_add(page: str) -> set[str]:
    found = set()
    for chunk in page.split('<section id="section-')[1:]:
        key = chunk[:chunk.index('"')]
        if "Legg til et tiltak" in chunk.split("</section>")[0]:
            found.add(key)
    return found


@pytest.mark.parametrize("role", sorted(OWN_SECTIONS))
def test_add_a_measure_shows_only_where_the_service_takes_it(role, request, plan, coordinator):
    person = request.getfixturevalue(role)
    client = page_client(person)
    page = client.get(f"/forlop/{plan.pathway.public_id}/plan/").content.decode()
    assert _sections_with_add(page) == OWN_SECTIONS[role]
    # What is shown is taken; what is not shown would be refused.
    for key in sorted(ALL_SECTIONS):
        version = Plan.objects.get(pk=plan.pk).version
        status = client.post(f"/forlop/{plan.pathway.public_id}/plan/tiltak/", {
            "section": key, f"add-{key}-version": version, f"add-{key}-description": "Ny",
            f"add-{key}-responsible": str(coordinator.public_id),
            f"add-{key}-status": "planned"}).status_code
        assert status == (302 if key in OWN_SECTIONS[role] else 403), (key, status)
    assert Measure.objects.count() == len(OWN_SECTIONS[role])
