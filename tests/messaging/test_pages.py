"""The pages: a pathway's messages for staff, the patient's own thread in plain Norwegian, my
threads, my notifications (read on opening) and the e-mail choices; bad input is 422 with a
message, nothing stored; the menu's badge costs one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ettervern.messaging import services
from ettervern.messaging.models import Message, Notification, NotificationPreference, Thread
from ettervern.messaging.notify import notify
from tests.messaging.conftest import page
from tests.pathways.helpers import act

pytestmark = pytest.mark.django_db


def url(pathway) -> str:  # type: ignore[no-untyped-def]
    return f"/forlop/{pathway.public_id}/meldinger/"


def test_staff_read_both_threads_and_opening_marks_them_read(pathway, coordinator,
                                                             municipal, patient_user):  # type: ignore[no-untyped-def]
    services.message_post(actor=act(municipal), pathway=pathway, kind="team",
                          text="Leiligheten er klar 1. juni.")
    services.message_post(actor=act(patient_user), pathway=pathway, kind="patient",
                          text="Jeg gruer meg litt.")
    response = page(coordinator).get(url(pathway))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Behandlingsteamets tråd" in body and "Tråd med pasienten" in body
    assert "Leiligheten er klar 1. juni." in body and "Jeg gruer meg litt." in body
    assert "1 ny" in body
    assert "Kommunal tjeneste" in body  # the author's service
    again = page(coordinator).get(url(pathway)).content.decode()
    assert "1 ny" not in again
    # The municipality sees the team's thread only.
    theirs = page(municipal).get(url(pathway)).content.decode()
    assert "Tråd med pasienten" not in theirs and "Jeg gruer meg litt." not in theirs


def test_writing_on_the_page(pathway, coordinator, municipal):  # type: ignore[no-untyped-def]
    client = page(coordinator)
    response = client.post(url(pathway) + "team/", {"team-text": "Møte tirsdag kl. 10."})
    assert response.status_code == 302
    assert response["Location"] == url(pathway) + "#team"
    assert Message.objects.get().text == "Møte tirsdag kl. 10."
    for bad in ("", "x" * 2001):
        refused = client.post(url(pathway) + "team/", {"team-text": bad})
        assert refused.status_code == 422
        text = refused.content.decode()
        assert "Skriv en melding før du sender." in text or "Meldingen er for lang" in text \
            or "høyst 2000 tegn" in text
    assert Message.objects.count() == 1
    # The municipality may not write in the patient's thread: not found, nothing stored.
    assert page(municipal).post(url(pathway) + "patient/", {"patient-text": "Hei"}
                                ).status_code == 404
    assert page(coordinator).post(url(pathway) + "other/", {"other-text": "Hei"}
                                  ).status_code == 404
    assert Message.objects.count() == 1


def test_the_patient_has_a_plain_page_of_their_own(pathway, coordinator, patient_user):  # type: ignore[no-untyped-def]
    services.message_post(actor=act(coordinator), pathway=pathway, kind="patient",
                          text="Velkommen hjem. Ring meg fredag.")
    services.message_post(actor=act(coordinator), pathway=pathway, kind="team",
                          text="Intern vurdering.")
    client = page(patient_user)
    home = client.get("/meg/").content.decode()
    assert "Meldinger med behandleren din" in home and "Du har 1 ny melding." in home
    body = client.get("/meg/meldinger/").content.decode()
    assert "Meldinger med behandleren din" in body
    assert "Velkommen hjem. Ring meg fredag." in body
    assert "Intern vurdering." not in body
    assert "Poliklinikk" not in body  # no clinician's table of services
    assert client.get(url(pathway))["Location"] == "/meg/meldinger/"
    response = client.post("/meg/meldinger/", {"patient-text": "Takk, det passer."})
    assert response.status_code == 302
    assert Message.objects.filter(thread__kind="patient").count() == 2
    assert client.post("/meg/meldinger/", {"patient-text": " "}).status_code == 422
    assert "Du har ingen nye meldinger." in client.get("/meg/").content.decode()


def test_someone_without_a_pathway_has_no_patient_page(outsider):  # type: ignore[no-untyped-def]
    assert page(outsider).get("/meg/meldinger/").status_code == 404


def test_the_inbox_lists_my_threads(pathway, coordinator, municipal, outsider):  # type: ignore[no-untyped-def]
    services.message_post(actor=act(municipal), pathway=pathway, kind="team", text="Hei")
    body = page(coordinator).get("/meldinger/").content.decode()
    assert pathway.patient.full_name in body and "1 ny" in body
    assert pathway.patient.full_name not in page(outsider).get("/meldinger/").content.decode()


def test_notifications_page_badge_and_reading(pathway, coordinator, municipal):  # type: ignore[no-untyped-def]
    notify(users=[municipal.user], kind="discharged", text="Utskrevet – Kari",
           link=f"/forlop/{pathway.public_id}/", pathway=pathway)
    client = page(municipal)
    worklist = client.get("/forlop/").content.decode()
    assert 'href="/varsler/">Varsler <span class="badge">1' in worklist
    body = client.get("/varsler/").content.decode()
    assert "Utskrevet – Kari" in body and "Ny" in body
    assert Notification.objects.get().read_at is not None
    assert '<span class="badge">' not in client.get("/forlop/").content.decode()


def test_the_badge_costs_one_query(municipal):  # type: ignore[no-untyped-def]
    client = page(municipal)
    client.get("/meldinger/")
    with CaptureQueriesContext(connection) as ctx:
        client.get("/meldinger/")
    badge = [q for q in ctx.captured_queries if 'FROM "messaging_notification" ' in q["sql"]]
    assert len(badge) == 1


def test_choosing_email_per_kind(municipal):  # type: ignore[no-untyped-def]
    client = page(municipal)
    body = client.get("/varsler/innstillinger/").content.decode()
    assert "Send meg også e-post om" in body and "Utskriving" in body
    assert "Du har ingen e-postadresse" in body
    response = client.post("/varsler/innstillinger/", {"email": ["discharged", "message"]})
    assert response.status_code == 302
    chosen = set(NotificationPreference.objects.filter(user=municipal.user, email=True)
                 .values_list("kind", flat=True))
    assert chosen == {"discharged", "message"}
    refused = client.post("/varsler/innstillinger/", {"email": ["nope"]})
    assert refused.status_code == 422
    assert set(NotificationPreference.objects.filter(user=municipal.user, email=True)
               .values_list("kind", flat=True)) == chosen


def test_pages_fit_a_small_screen_and_have_no_thread_when_empty(pathway, coordinator):  # type: ignore[no-untyped-def]
    body = page(coordinator).get(url(pathway)).content.decode()
    assert "Ingen meldinger ennå." in body
    assert not Thread.objects.exists()  # reading makes no thread
