"""The messaging endpoints: the same selectors and services as the pages. Each answers whom it
is for and refuses everyone else (404, audited) with nothing stored; bad input is a 4xx
`{code, message, field}` in Norwegian."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from ettervern.access.models import AuditEvent
from ettervern.messaging import services
from ettervern.messaging.models import Message, Notification, NotificationPreference
from ettervern.messaging.notify import notify
from tests.messaging.conftest import api
from tests.pathways.helpers import act

pytestmark = pytest.mark.django_db

MISSING = "00000000-0000-4000-8000-000000000000"


def base(pathway: Any) -> str:
    return f"/api/pathways/{pathway.public_id}/threads"


def test_team_thread_read_write_and_mark_read(pathway, coordinator, municipal):  # type: ignore[no-untyped-def]
    written = api(municipal).post(base(pathway) + "/team/messages", {"text": "Bolig er klar."})
    assert written.status_code == 201, written.content
    assert written.json()["service"] == "municipal" and written.json()["mine"] is True
    got = api(coordinator).get(base(pathway) + "/team")
    assert got.status_code == 200
    body = got.json()
    assert body["unread"] == 1 and body["messages"][0]["text"] == "Bolig er klar."
    assert body["label"] == "Behandlingsteamet"
    marked = api(coordinator).post(base(pathway) + "/team/read")
    assert marked.json() == {"marked": 1}
    assert api(coordinator).get(base(pathway) + "/team").json()["unread"] == 0


def test_the_patient_thread_is_refused_as_not_found_to_others(pathway, coordinator,
                                                              patient_user, nav, kin_user,
                                                              outsider):  # type: ignore[no-untyped-def]
    services.message_post(actor=act(coordinator), pathway=pathway, kind="patient", text="Hei")
    assert api(patient_user).get(base(pathway) + "/patient").status_code == 200
    for who in (nav, kin_user, outsider):
        for response in (api(who).get(base(pathway) + "/patient"),
                         api(who).post(base(pathway) + "/patient/messages", {"text": "x"}),
                         api(who).post(base(pathway) + "/patient/read")):
            assert response.status_code == 404, (who, response.content)
            assert response.json()["code"] == "not_found"
    assert api(patient_user).get(base(pathway) + "/team").status_code == 404
    assert api(coordinator).get(f"/api/pathways/{MISSING}/threads/team").status_code == 404
    assert api(coordinator).post(base(pathway) + "/other/messages",
                                 {"text": "x"}).status_code == 422
    assert Message.objects.count() == 1
    assert AuditEvent.objects.filter(actor_id=nav.user_id, action="message.patient",
                                     outcome=AuditEvent.Outcome.DENIED).count() == 3


def test_bad_input_is_422_and_nothing_is_stored(pathway, coordinator):  # type: ignore[no-untyped-def]
    client = api(coordinator)
    for body in ({"text": ""}, {"text": "x" * 2001}, {"text": "a\x00b"}, {},
                 {"text": "ok", "extra": 1}):
        response = client.post(base(pathway) + "/team/messages", body)
        assert response.status_code == 422, body
        assert response.json()["message"]
    blank = client.post(base(pathway) + "/team/messages", {"text": "   "})
    assert blank.status_code == 422
    assert blank.json()["field"] == "text"
    assert blank.json()["message"] == "Skriv en melding før du sender."
    assert Message.objects.count() == 0


def test_not_signed_in_is_401(pathway, db):  # type: ignore[no-untyped-def]
    anonymous = Client()
    assert anonymous.get(base(pathway) + "/team").status_code == 401
    assert anonymous.get("/api/notifications").status_code == 401
    assert anonymous.get("/api/messages/inbox").status_code == 401


def test_inbox(pathway, coordinator, municipal, outsider):  # type: ignore[no-untyped-def]
    services.message_post(actor=act(municipal), pathway=pathway, kind="team", text="Hei")
    items = api(coordinator).get("/api/messages/inbox").json()["items"]
    assert [(i["kind"], i["unread"], i["patient"]) for i in items] == [
        ("team", 1, pathway.patient.full_name)]
    assert api(outsider).get("/api/messages/inbox").json()["items"] == []


def test_notifications_are_one_own_and_marking_others_changes_nothing(
        pathway, coordinator, municipal):  # type: ignore[no-untyped-def]
    notify(users=[municipal.user, coordinator.user], kind="handover", text="Ny koordinator",
           link="/forlop/")
    theirs = Notification.objects.get(user=coordinator.user)
    mine = api(municipal).get("/api/notifications").json()
    assert mine["unread"] == 1 and len(mine["items"]) == 1
    assert api(municipal).post("/api/notifications/read",
                               {"ids": [theirs.pk]}).json() == {"marked": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert api(municipal).post("/api/notifications/read", {}).json() == {"marked": 1}
    assert api(municipal).get("/api/notifications", unread="true").json()["items"] == []
    assert api(municipal).post("/api/notifications/read",
                               {"ids": ["x"]}).status_code == 422


def test_preferences(municipal):  # type: ignore[no-untyped-def]
    client = api(municipal)
    before = {p["kind"]: p["email"] for p in client.get("/api/notifications/preferences").json()}
    assert before["discharged"] is False and before["message"] is False
    changed = client.put("/api/notifications/preferences", {"email": {"discharged": True}})
    assert changed.status_code == 200
    assert {p["kind"]: p["email"] for p in changed.json()}["discharged"] is True
    refused = client.put("/api/notifications/preferences", {"email": {"nope": True}})
    assert refused.status_code == 422 and refused.json()["field"] == "email"
    assert NotificationPreference.objects.filter(user=municipal.user).count() == 1
