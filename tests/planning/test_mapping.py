"""The mapping: life areas as data, rounds, the two sides (clinician and patient) each
versioned, limits and ranges, who may do what, and the chart (an SVG with the numbers)."""

from __future__ import annotations

import json

import defusedxml.ElementTree as ET
import pytest
from django.db import IntegrityError, transaction

from ettervern.core.errors import Forbidden, InvalidInput, NotFound, RuleViolation, StaleVersion
from ettervern.pathways import services as pathway_services
from ettervern.planning.mapping import selectors
from ettervern.planning.mapping.chart import mapping_chart_svg
from ettervern.planning.mapping.models import Assessment, LifeArea, MappingRound, Score
from ettervern.planning.mapping.services import AreaScore, mapping_assess, mapping_round_start
from tests.pathways.helpers import act, days_ago
from tests.planning.conftest import ROLES

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def start(who, pathway, ago=10):  # type: ignore[no-untyped-def]
    return mapping_round_start(actor=act(who), pathway=pathway, on=days_ago(ago))


def assess(who, mapping_round, source, version=0, **scores):  # type: ignore[no-untyped-def]
    return mapping_assess(actor=act(who), round=mapping_round, source=source,
                          expected_version=version,
                          scores={k: v if isinstance(v, AreaScore) else AreaScore(v)
                                  for k, v in scores.items()})


def test_the_life_areas_are_seeded_as_data():
    assert list(LifeArea.objects.values_list("code", flat=True)) == [
        "housing", "economy", "activity", "physical_health", "mental_health", "substance_use",
        "network", "leisure", "daily_living"]
    assert LifeArea.objects.get(code="housing").name_nb == "Bolig"


def test_clinician_and_patient_each_save_their_own_side(pathway, coordinator, patient_user):
    mapping_round = start(coordinator, pathway)
    assess(coordinator, mapping_round, "clinician", housing=2, economy=AreaScore(1, "Gjeld"))
    assess(patient_user, mapping_round, "patient", housing=4)
    view = selectors.mapping_overview(actor=act(coordinator), public_id=pathway.public_id)
    housing = LifeArea.objects.get(code="housing")
    (only,) = view.rounds
    assert only.score("clinician", housing).score == 2
    assert only.score("patient", housing).score == 4
    assert only.clinician.by_name == coordinator.name


def test_a_side_is_replaced_whole_and_versioned(pathway, coordinator, specialist):
    mapping_round = start(coordinator, pathway)
    assess(coordinator, mapping_round, "clinician", housing=2, economy=3)
    saved = assess(specialist, mapping_round, "clinician", version=1, housing=3)
    assert saved.version == 2
    assert list(saved.scores.values_list("area__code", "score")) == [("housing", 3)]
    with pytest.raises(StaleVersion):
        assess(coordinator, mapping_round, "clinician", version=1, housing=5)
    with pytest.raises(StaleVersion):
        assess(coordinator, mapping_round, "clinician", version=0, housing=5)
    assert Score.objects.get().score == 3


@pytest.mark.parametrize("score", [0, 6, -1])
def test_a_rating_out_of_range_is_refused(pathway, coordinator, score):
    mapping_round = start(coordinator, pathway)
    with pytest.raises(InvalidInput) as refused:
        assess(coordinator, mapping_round, "clinician", housing=score)
    assert refused.value.field == "housing-score"
    assert not Assessment.objects.exists()


def test_a_long_comment_an_unknown_area_and_a_comment_without_a_rating_are_refused(
        pathway, coordinator):
    mapping_round = start(coordinator, pathway)
    for scores in ({"housing": AreaScore(3, "x" * 1001)}, {"moon": AreaScore(3)},
                   {"housing": AreaScore(None, "Hm")}):
        with pytest.raises(InvalidInput):
            assess(coordinator, mapping_round, "clinician", **scores)
    assert not Assessment.objects.exists()


def test_the_database_holds_the_range_and_the_limit(pathway, coordinator):
    mapping_round = start(coordinator, pathway)
    assessment = assess(coordinator, mapping_round, "clinician", housing=3)
    for change in ({"score": 6}, {"score": 0}, {"comment": "x" * 1001}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Score.objects.filter(assessment=assessment).update(**change)


def test_one_round_per_day_and_none_in_the_future(pathway, coordinator):
    start(coordinator, pathway, ago=3)
    with pytest.raises(RuleViolation):
        start(coordinator, pathway, ago=3)
    with pytest.raises(InvalidInput):
        start(coordinator, pathway, ago=-1)
    assert MappingRound.objects.count() == 1


def test_staff_cannot_give_the_patients_assessment_and_the_patient_cannot_rate(
        pathway, coordinator, patient_user):
    mapping_round = start(coordinator, pathway)
    with pytest.raises(Forbidden):
        assess(coordinator, mapping_round, "patient", housing=5)
    with pytest.raises(Forbidden):
        assess(patient_user, mapping_round, "clinician", housing=5)
    with pytest.raises(Forbidden):
        start(patient_user, pathway, ago=2)
    assert not Assessment.objects.exists()


def test_a_closed_pathway_refuses_even_the_patient(pathway, coordinator, patient_user):
    mapping_round = start(coordinator, pathway)
    pathway_services.pathway_transition(actor=act(coordinator), pathway=pathway,
                                        to_phase="closed", on=days_ago(0), note="Ferdig")
    mapping_round.pathway.refresh_from_db()
    with pytest.raises(RuleViolation):
        assess(patient_user, mapping_round, "patient", housing=4)
    with pytest.raises((Forbidden, RuleViolation)):
        assess(coordinator, mapping_round, "clinician", housing=4)
    assert not Assessment.objects.exists()


def test_next_of_kin_sees_nothing(pathway, coordinator, kin_user):
    start(coordinator, pathway)
    with pytest.raises(NotFound):
        selectors.mapping_overview(actor=act(kin_user), public_id=pathway.public_id)


def test_the_chart_parses_and_carries_every_rating(pathway, coordinator, patient_user):
    first, second = start(coordinator, pathway, ago=40), start(coordinator, pathway, ago=5)
    assess(coordinator, first, "clinician", housing=1, economy=2)
    assess(patient_user, first, "patient", housing=3)
    assess(coordinator, second, "clinician", housing=4, economy=5)
    assess(patient_user, second, "patient", housing=2, economy=4)
    overview = selectors.mapping_overview(actor=act(coordinator), public_id=pathway.public_id)
    root = ET.fromstring(mapping_chart_svg(overview))
    assert root.tag == f"{SVG}svg"
    charts = root.findall(f"{SVG}svg")
    assert len(charts) == LifeArea.objects.count()
    titles = [c.find(f".//{SVG}title").text for c in charts]
    assert titles[:2] == ["Bolig", "Økonomi"]

    def values(chart):  # type: ignore[no-untyped-def]
        series = chart.findall(f".//{SVG}g[@class]")
        found = []
        for group in series:
            if "series" in group.get("class", "").split():
                found.append([d.text for d in group.iter(f"{SVG}desc")
                              if d.get("class") == "value"])
        return [found_values for found_values in found if found_values]

    assert values(charts[0]) == [["1", "4"], ["3", "2"]]  # clinician, then patient
    assert values(charts[1]) == [["2", "5"], ["4"]]
    dates = [t.text for t in charts[0].iter(f"{SVG}text")]
    assert first.on.strftime("%d.%m.%y") in dates and second.on.strftime("%d.%m.%y") in dates


# --- the API and the pages, per role ------------------------------------------------------

START = {"coordinator": 201, "unit:coordinating": 201, "team:specialist_contact": 201,
         "unit:treating": 201, "team:municipal_contact": 201, "team:nav_contact": 403,
         "team:gp": 403, "patient": 403, "consent:pathway": 404, "consent:plan": 404,
         "consent:crisis_plan": 404, "consent:mapping": 403, "emergency": 403,
         "outsider": 404}
# A next of kin reads the mapping only with the patient's consent to exactly that.
READ = {role: (404 if role.startswith("consent:") or role == "outsider" else 200)
        for role in ROLES} | {"consent:mapping": 200}
RATE = {role: (200 if status == 201 else status) for role, status in START.items()}
# The patient's side is the patient's voice (plan.respond, seen with the plan): who may not
# read the plan is told "not found".
RESPOND = {role: (404 if role == "outsider" or (role.startswith("consent:")
                                                and role != "consent:plan") else 403)
           for role in ROLES} | {"patient": 200}


def put(client, url, body):  # type: ignore[no-untyped-def]
    return client.put(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_on_the_api(as_role, pathway, coordinator, role):
    _person, client = as_role(role)
    base = f"/api/pathways/{pathway.public_id}/mapping"
    assert client.get(base).status_code == READ[role]
    answer = client.post(base + "/rounds", data=json.dumps({"on": str(days_ago(1))}),
                         content_type="application/json")
    assert answer.status_code == START[role], answer.content
    mapping_round = start(coordinator, pathway, ago=20)
    body = {"version": 0, "scores": [{"area": "housing", "score": 3, "comment": "Ok"}]}
    url = f"/api/mapping-rounds/{mapping_round.public_id}"
    assert put(client, url + "/clinician", body).status_code == RATE[role]
    assert put(client, url + "/patient", body).status_code == RESPOND[role]
    assert Assessment.objects.filter(source="clinician").exists() == (RATE[role] == 200)
    assert Assessment.objects.filter(source="patient").exists() == (RESPOND[role] == 200)


def test_api_errors(as_role, pathway, coordinator):
    _person, client = as_role("coordinator")
    mapping_round = start(coordinator, pathway)
    url = f"/api/mapping-rounds/{mapping_round.public_id}/clinician"
    assert put(client, url, {"version": 0, "scores": [{"area": "housing", "score": 6}]}
               ).status_code == 422
    assert put(client, url, {"version": 0, "scores": [
        {"area": "housing", "score": 3, "comment": "x" * 1001}]}).status_code == 422
    assert put(client, url, {"version": 0, "scores": [{"area": "moon", "score": 3}]}
               ).status_code == 422
    assert put(client, url, {"version": 0, "scores": [{"area": "housing", "score": 3}]}
               ).status_code == 200
    stale = put(client, url, {"version": 0, "scores": []})
    assert (stale.status_code, stale.json()["code"]) == (409, "stale_version")
    assert client.put(url, data="{", content_type="application/json").status_code == 400
    again = client.post(f"/api/pathways/{pathway.public_id}/mapping/rounds",
                        data=json.dumps({"on": str(mapping_round.on)}),
                        content_type="application/json")
    assert again.status_code == 409
    body = client.get(f"/api/pathways/{pathway.public_id}/mapping").json()
    assert body["rounds"][0]["clinician"]["scores"] == [
        {"area": "housing", "score": 3, "comment": ""}]
    assert [s["value"] for s in body["scale"]] == [1, 2, 3, 4, 5]


PAGES = {role: status for role, status in READ.items()}


@pytest.mark.parametrize("role", sorted(ROLES))
def test_each_role_on_the_pages(as_role, pathway, coordinator, role):
    _person, client = as_role(role)
    mapping_round = start(coordinator, pathway, ago=20)
    overview = f"/forlop/{pathway.public_id}/kartlegging/"
    assert client.get(overview).status_code == PAGES[role]
    assert client.get(overview + "graf.svg").status_code == PAGES[role]
    page = f"/kartlegging/{mapping_round.public_id}/"
    assert client.get(page).status_code == PAGES[role]
    started = client.post(overview + "ny/", {"on": str(days_ago(1))})
    assert started.status_code == (302 if START[role] == 201 else START[role])
    data = {"version": "0", "housing-score": "4", "housing-comment": "Bra"}
    rated = client.post(page, {**data, "source": "clinician"})
    assert rated.status_code == (302 if RATE[role] == 200 else RATE[role])
    own = client.post(page, {**data, "source": "patient"})
    assert own.status_code == (302 if RESPOND[role] == 200 else RESPOND[role])


def test_the_pages_show_norwegian_errors_and_the_chart_with_its_table(
        as_role, pathway, coordinator, patient_user):
    _person, client = as_role("coordinator")
    mapping_round = start(coordinator, pathway, ago=20)
    page = f"/kartlegging/{mapping_round.public_id}/"
    bad = client.post(page, {"version": "0", "source": "clinician", "housing-score": "7"})
    assert bad.status_code == 422
    assert not Assessment.objects.exists()
    long = client.post(page, {"version": "0", "source": "clinician", "housing-score": "3",
                              "housing-comment": "x" * 1001})
    assert long.status_code == 422
    assert client.post(page, {"version": "0", "source": "clinician",
                              "housing-score": "3"}).status_code == 302
    stale = client.post(page, {"version": "0", "source": "clinician", "housing-score": "2"})
    assert stale.status_code == 409
    assert "Last siden på nytt" in stale.content.decode()
    future = client.post(f"/forlop/{pathway.public_id}/kartlegging/ny/",
                         {"on": str(days_ago(-3))})
    assert future.status_code == 422 and "fram i tid" in future.content.decode()
    text = client.get(f"/forlop/{pathway.public_id}/kartlegging/").content.decode()
    assert "graf.svg" in text and "<table" in text and "Bolig" in text
    chart = client.get(f"/forlop/{pathway.public_id}/kartlegging/graf.svg")
    assert chart["Content-Type"] == "image/svg+xml"
    assert "script-src" not in chart["Content-Security-Policy"]
    ET.fromstring(chart.content)
