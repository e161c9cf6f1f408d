"""The checklist page: what each role sees and may do, bad input shown on the item and nothing
saved, the patient's plain page, and a fixed number of queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ettervern.access.models import AuditEvent
from ettervern.core import clock
from ettervern.pathways import services as pathway_services
from ettervern.pathways.phases import Phase
from ettervern.planning.checklist import services
from ettervern.planning.checklist.models import ChecklistItem, ChecklistItemType
from tests.pathways.helpers import act
from tests.planning.conftest import item

pytestmark = pytest.mark.django_db
STATUS = ChecklistItem.Status


def page(pathway) -> str:  # type: ignore[no-untyped-def]
    return reverse("planning:checklist", args=[pathway.public_id])


def post_url(it) -> str:  # type: ignore[no-untyped-def]
    return reverse("planning:checklist_item_update", args=[it.public_id])


def form_data(it, **values) -> dict[str, str]:  # type: ignore[no-untyped-def]
    prefix = f"item-{it.public_id}"
    data = {"version": str(it.version), "status": it.status, "note": it.note, "due_on": ""}
    data.update(values)
    return {f"{prefix}-{key}": value for key, value in data.items()}


def assign(coordinator, it, owner) -> None:  # type: ignore[no-untyped-def]
    services.checklist_item_update(actor=act(coordinator), item=it, expected_version=it.version,
                                   status=it.status, note=it.note, due_on=None, owner=owner)


def test_coordinator_sees_every_item_with_a_form_and_the_team_to_choose_from(  # type: ignore[no-untyped-def]
        client_for, waiting, coordinator, municipal):
    response = client_for(coordinator).get(page(waiting))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Sjekkliste før innleggelse" in html and "0 av 12 ferdig" in html
    assert "Bolig: kontrakt og husleie" in html
    assert html.count('type="submit">Lagre') == 12
    assert municipal.name in html  # offered as owner
    assert AuditEvent.objects.filter(actor_id=coordinator.user_id,
                                     action="checklist.view").count() == 1


def test_contributor_gets_forms_only_for_own_items(client_for, waiting, coordinator, municipal):  # type: ignore[no-untyped-def]
    assign(coordinator, item(waiting, "housing"), municipal)
    html = client_for(municipal).get(page(waiting)).content.decode()
    assert html.count('type="submit">Lagre') == 1
    assert "Allergier" in html  # reads the rest
    assert f'name="item-{item(waiting, "housing").public_id}-owner"' not in html


def test_saving_an_item_redirects_and_keeps_it(client_for, waiting, coordinator, municipal):  # type: ignore[no-untyped-def]
    housing = item(waiting, "housing")
    data = form_data(housing, status=STATUS.CLARIFIED, note="Husleie betalt",
                     owner=str(municipal.public_id), due_on=clock.today().isoformat())
    response = client_for(coordinator).post(post_url(housing), data, follow=True)
    assert "Lagret: Bolig: kontrakt og husleie." in response.content.decode()
    housing.refresh_from_db()
    assert (housing.status, housing.owner_id, housing.note) == (STATUS.CLARIFIED, municipal.pk,
                                                                "Husleie betalt")


def test_owner_updates_own_item_on_the_page(client_for, waiting, coordinator, nav):  # type: ignore[no-untyped-def]
    assign(coordinator, item(waiting, "finances"), nav)
    finances = item(waiting, "finances")
    response = client_for(nav).post(post_url(finances),
                                    form_data(finances, status=STATUS.CLARIFIED, note="Avtale"))
    assert response.status_code == 302
    assert item(waiting, "finances").status == STATUS.CLARIFIED


@pytest.mark.parametrize("case", ["note", "owner", "stale", "status"])
def test_bad_input_is_shown_on_the_item_and_nothing_saved(  # type: ignore[no-untyped-def]
        client_for, waiting, coordinator, outsider, case):
    housing = item(waiting, "housing")
    values = {
        "note": {"note": "x" * 1001},
        "owner": {"owner": str(outsider.public_id)},
        "stale": {"version": "7", "note": "ny"},
        "status": {"status": "done"},
    }[case]
    response = client_for(coordinator).post(post_url(housing), form_data(housing, **values))
    html = response.content.decode()
    assert response.status_code == (409 if case == "stale" else 422)
    assert 'class="error-summary"' in html and "data-autofocus" in html
    expected = {"note": "1000", "owner": "ikke på behandlingsteamet",
                "stale": "noen andre har endret", "status": "gyldig"}[case]
    assert expected in html.lower()
    housing.refresh_from_db()
    assert housing.version == 1 and housing.note == "" and housing.owner is None


def test_a_read_only_role_is_refused(client_for, waiting, gp):  # type: ignore[no-untyped-def]
    housing = item(waiting, "housing")
    response = client_for(gp).post(post_url(housing), form_data(housing, status=STATUS.CLARIFIED))
    assert response.status_code == 403
    assert "ansvarlig for" in response.content.decode()
    assert item(waiting, "housing").version == 1
    # Invalid input from a role that may not change the item is refused, not validated.
    response = client_for(gp).post(post_url(housing), form_data(housing, status="x"))
    assert response.status_code == 403


def test_closed_pathway_shows_no_forms_and_refuses_a_post(client_for, waiting, coordinator):  # type: ignore[no-untyped-def]
    pathway_services.pathway_transition(actor=act(coordinator), pathway=waiting,
                                        to_phase=Phase.CLOSED, on=clock.today(), note="Flyttet")
    html = client_for(coordinator).get(page(waiting)).content.decode()
    assert "Lagre" not in html and "kan leses, ikke endres" in html
    housing = item(waiting, "housing")
    response = client_for(coordinator).post(post_url(housing),
                                            form_data(housing, status=STATUS.CLARIFIED))
    assert response.status_code == 409
    assert item(waiting, "housing").status == STATUS.NOT_STARTED


def test_the_patient_sees_plain_words_and_no_notes(client_for, waiting, coordinator, patient_user):  # type: ignore[no-untyped-def]
    housing = item(waiting, "housing")
    services.checklist_item_update(actor=act(coordinator), item=housing, expected_version=1,
                                   status=STATUS.CLARIFIED, note="Intern merknad", due_on=None)
    html = client_for(patient_user).get(page(waiting)).content.decode()
    assert "Før du blir lagt inn" in html
    assert "At boligen din er i orden" in html and "Ordnet." in html
    assert "Intern merknad" not in html and "<form method=\"post\" action=\"/sjekkliste" not in html
    response = client_for(patient_user).post(post_url(housing), form_data(housing))
    assert response.status_code == 403


@pytest.mark.parametrize("who", ["kin_user", "outsider"])
def test_next_of_kin_and_outsiders_see_nothing(request, client_for, waiting, who):  # type: ignore[no-untyped-def]
    person = request.getfixturevalue(who)
    client = client_for(person)
    housing = item(waiting, "housing")
    assert client.get(page(waiting)).status_code == 404
    assert client.post(post_url(housing), form_data(housing, status="clarified")).status_code == 404
    assert item(waiting, "housing").version == 1


def test_signed_out_is_sent_to_sign_in(waiting):  # type: ignore[no-untyped-def]
    assert Client().get(page(waiting)).status_code == 302
    housing = item(waiting, "housing")
    assert Client().post(post_url(housing), form_data(housing)).status_code == 302


def _queries(client, pathway) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(page(pathway)).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_fixed_however_many_items_and_owners(  # type: ignore[no-untyped-def]
        client_for, coordinator, pathway, municipal, nav, gp):
    for n in range(8):
        ChecklistItemType.objects.create(key=f"regional-{n}", name=f"Regionalt punkt {n}")
    pathway_services.pathway_transition(actor=act(coordinator), pathway=pathway,
                                        to_phase=Phase.PRE_ADMISSION, on=clock.today())
    client = client_for(coordinator)
    few = _queries(client, pathway)
    for key, owner in (("housing", municipal), ("finances", nav), ("allergies", gp),
                       ("pets", coordinator)):
        assign(coordinator, item(pathway, key), owner)
    assert _queries(client, pathway) == few
    # Session and user, standing, bases, the audit insert, pathway, items, the team: no more
    # however many items and owners.
    assert few <= 10


def test_worklist_shows_progress_with_one_query_more(client_for, waiting, coordinator):  # type: ignore[no-untyped-def]
    services.checklist_item_update(actor=act(coordinator), item=item(waiting, "pets"),
                                   expected_version=1, status=STATUS.NOT_RELEVANT, note="",
                                   due_on=None)
    with CaptureQueriesContext(connection) as ctx:
        html = client_for(coordinator).get(reverse("pathways:worklist")).content.decode()
    assert ">1/12<" in html
    assert len([q for q in ctx.captured_queries
                if "planning_checklistitem" in q["sql"]]) == 1


def test_pathway_page_links_to_the_checklist(client_for, waiting, coordinator, kin_user):  # type: ignore[no-untyped-def]
    assert page(waiting) in client_for(coordinator).get(
        reverse("pathways:pathway", args=[waiting.public_id])).content.decode()
    assert page(waiting) not in client_for(kin_user).get(
        reverse("pathways:pathway", args=[waiting.public_id])).content.decode()


# Who may do what on the pages: (role, page status, post status for an item they do not own).
PAGE_ROLES = [
    ("coordinator", 200, 302),
    ("colleague", 200, 302),
    ("specialist", 200, 302),
    ("treating_clinician", 200, 403),
    ("municipal", 200, 403),
    ("nav", 200, 403),
    ("gp", 200, 403),
    ("patient_user", 200, 403),
    ("kin_user", 404, 404),
    ("outsider", 404, 404),
]


@pytest.mark.parametrize(("role", "read", "write"), PAGE_ROLES)
def test_each_role_on_the_page_as_the_policy_says(request, client_for, waiting, role, read,  # type: ignore[no-untyped-def]
                                                  write):
    client = client_for(request.getfixturevalue(role))
    assert client.get(page(waiting)).status_code == read
    housing = item(waiting, "housing")
    response = client.post(post_url(housing), form_data(housing, status=STATUS.CLARIFIED))
    assert response.status_code == write
    assert (item(waiting, "housing").status == STATUS.CLARIFIED) == (write == 302)


def test_an_admission_that_will_be_refused_is_not_asked_about(client_for, waiting, coordinator,  # type: ignore[no-untyped-def]
                                                              residential_unit):
    import datetime as dt

    stay = pathway_services.stay_plan(actor=act(coordinator), pathway=waiting,
                                      unit=residential_unit, planned_start=clock.today())
    tomorrow = (clock.today() + dt.timedelta(days=1)).isoformat()
    response = client_for(coordinator).post(
        reverse("pathways:stay_admit", args=[stay.public_id]),
        {f"stay-{stay.public_id}-admit-on": tomorrow})
    assert response.status_code == 422
    assert "Ja, legg inn" not in response.content.decode()
