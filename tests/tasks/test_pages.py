"""The pages: "Mine oppgaver" in the menu, overdue ones said in words; the pathway's tasks
(add, complete, reopen, cancel after asking); the patient's own in plain Norwegian, and the
portal card."""

from __future__ import annotations

import datetime as dt

import pytest

from ettervern.core import clock
from ettervern.tasks.models import Task
from tests.tasks.conftest import client_of, make_task

pytestmark = pytest.mark.django_db


def test_my_tasks_page_is_in_the_menu_and_says_what_is_overdue(pathway, coordinator) -> None:  # type: ignore[no-untyped-def]
    late = make_task(pathway, coordinator, coordinator, "Ring fastlegen")
    Task.objects.filter(pk=late.pk).update(due_on=clock.today() - dt.timedelta(days=2))
    make_task(pathway, coordinator, coordinator, "Send epikrise", days=4)
    client = client_of(coordinator)
    worklist = client.get("/forlop/").content.decode()
    assert 'href="/oppgaver/"' in worklist and "Mine oppgaver" in worklist
    assert "Du har 1 oppgave som har passert fristen" in worklist
    page = client.get("/oppgaver/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "Du har 2 åpne oppgaver." in text
    assert "Fristen passert med 2 dager" in text
    assert text.index("Ring fastlegen") < text.index("Send epikrise")
    assert pathway.patient.full_name in text


def test_add_a_task_on_the_pathway_page(pathway, coordinator, municipal) -> None:  # type: ignore[no-untyped-def]
    client = client_of(coordinator)
    page = client.get(f"/forlop/{pathway.public_id}/oppgaver/").content.decode()
    assert "Ny oppgave" in page and municipal.name in page
    assert f'href="/forlop/{pathway.public_id}/oppgaver/"' in client.get(
        f"/forlop/{pathway.public_id}/").content.decode()
    due = clock.today() + dt.timedelta(days=6)
    response = client.post(f"/forlop/{pathway.public_id}/oppgaver/ny/", {
        "title": "Planlegg bolig", "owner": str(municipal.public_id),
        "due_on": due.isoformat(), "note": ""}, follow=True)
    assert response.status_code == 200
    assert "Oppgaven «Planlegg bolig» er lagt til" in response.content.decode()
    task = Task.objects.get()
    assert (task.owner_id, task.service, task.due_on) == (municipal.user_id, "municipality", due)


def test_a_bad_form_is_422_with_a_message_and_stores_nothing(pathway, coordinator) -> None:  # type: ignore[no-untyped-def]
    response = client_of(coordinator).post(f"/forlop/{pathway.public_id}/oppgaver/ny/", {
        "title": "Planlegg bolig", "owner": str(coordinator.public_id),
        "due_on": (clock.today() - dt.timedelta(days=1)).isoformat()})
    assert response.status_code == 422
    assert "Fristen har allerede passert" in response.content.decode()
    assert not Task.objects.exists()


def test_complete_reopen_and_cancel_after_asking(pathway, coordinator, municipal) -> None:  # type: ignore[no-untyped-def]
    task = make_task(pathway, coordinator, municipal, "Planlegg bolig")
    client = client_of(coordinator)
    client.post(f"/oppgaver/{task.public_id}/utfort/")
    task.refresh_from_db()
    assert task.status == "done"
    client.post(f"/oppgaver/{task.public_id}/gjenapne/")
    task.refresh_from_db()
    assert task.status == "open"
    asked = client.post(f"/oppgaver/{task.public_id}/avbryt/")
    assert asked.status_code == 200 and "Avbryte oppgaven «Planlegg bolig»?" in (
        asked.content.decode())
    task.refresh_from_db()
    assert task.status == "open"
    done = client.post(f"/oppgaver/{task.public_id}/avbryt/", {"confirmed": "yes"}, follow=True)
    assert "«Planlegg bolig» er avbrutt." in done.content.decode()
    task.refresh_from_db()
    assert task.status == "cancelled"


def test_others_are_refused_before_being_asked(pathway, coordinator, outsider,
                                               patient_user) -> None:  # type: ignore[no-untyped-def]
    task = make_task(pathway, coordinator, coordinator)
    assert client_of(outsider).post(f"/oppgaver/{task.public_id}/avbryt/").status_code == 404
    assert client_of(patient_user).post(
        f"/oppgaver/{task.public_id}/avbryt/").status_code == 404
    assert client_of(outsider).get(f"/forlop/{pathway.public_id}/oppgaver/").status_code == 404


def test_the_patient_sees_their_own_in_plain_words_and_marks_them_done(
        pathway, coordinator, patient_user) -> None:  # type: ignore[no-untyped-def]
    own = make_task(pathway, coordinator, "patient", "Ta med legeerklæringen til NAV")
    make_task(pathway, coordinator, coordinator, "Koordinatorens oppgave")
    client = client_of(patient_user)
    assert client.get(f"/forlop/{pathway.public_id}/oppgaver/").url == "/meg/oppgaver/"
    home = client.get("/meg/").content.decode()
    assert "Mine oppgaver" in home and "Ta med legeerklæringen til NAV" in home
    page = client.get("/meg/oppgaver/").content.decode()
    assert "Dette er ting du har avtalt å gjøre." in page
    assert "Koordinatorens oppgave" not in page
    response = client.post(f"/oppgaver/{own.public_id}/utfort/", follow=True)
    assert response.redirect_chain[-1][0] == "/meg/oppgaver/"
    own.refresh_from_db()
    assert own.status == "done"
    assert "Du har ingenting å gjøre akkurat nå." in response.content.decode()


def test_the_patient_page_is_the_patients_own(db, coordinator) -> None:  # type: ignore[no-untyped-def]
    assert client_of(coordinator).get("/meg/oppgaver/").status_code == 404
