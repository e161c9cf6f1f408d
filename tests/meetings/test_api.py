"""The meeting endpoints: the same services and selectors as the pages. Each answers whom it
is for, refuses everyone else (audited; a read one may not make is 404, never a tell-tale 403)
with nothing stored, and answers bad input with a 4xx `{code, message, field}` in Norwegian."""

from __future__ import annotations

import datetime as dt
from typing import Any

import icalendar
import pytest
from django.test import Client as DjangoClient

from ettervern.access.models import AuditEvent
from ettervern.core import clock
from ettervern.meetings import services
from ettervern.meetings.models import Decision, Meeting, Participant
from tests.api.conftest import ApiClient, signed_in
from tests.meetings.conftest import at
from tests.pathways.helpers import act

pytestmark = pytest.mark.django_db

MISSING = "00000000-0000-4000-8000-000000000000"


class Client(ApiClient):
    def put(self, url: str, body: Any = None) -> Any:
        return self._send("put", url, body)

    def delete(self, url: str) -> Any:
        return self.client.delete(url, headers=self.headers)


def as_(who: Any) -> Client:
    return Client(signed_in(getattr(who, "user", who)).client)


def _state() -> tuple[Any, ...]:
    return (list(Meeting.objects.values_list("version", "sequence", "status", "minutes")),
            Participant.objects.count(), Decision.objects.count(),
            list(Decision.objects.values_list("task_id", flat=True)))


@pytest.fixture
def decision(meeting, arranger):  # type: ignore[no-untyped-def]
    return services.decision_add(actor=act(arranger), meeting=meeting, text="Bolig avklares")


def _endpoints(meeting: Meeting, decision: Decision, pathway: Any) -> list[tuple[str, str, Any]]:
    """(method, url, body) of every meeting endpoint that names a pathway, a meeting or a
    decision, with a body that would be accepted from someone allowed."""
    m, p = meeting.public_id, pathway.public_id
    participant = meeting.participants.first()
    assert participant is not None
    return [
        ("get", f"/api/pathways/{p}/meetings", None),
        ("post", f"/api/pathways/{p}/meetings",
         {"kind": "network", "starts_at": at(3).isoformat(), "ends_at": at(3, 11).isoformat(),
          "place": "Rådhuset"}),
        ("get", f"/api/meetings/{m}", None),
        ("patch", f"/api/meetings/{m}",
         {"version": meeting.version, "starts_at": at(4).isoformat(),
          "ends_at": at(4, 11).isoformat(), "place": "Rådhuset"}),
        ("post", f"/api/meetings/{m}/cancel", None),
        ("post", f"/api/meetings/{m}/held", None),
        ("put", f"/api/meetings/{m}/minutes", {"version": meeting.version, "minutes": "x"}),
        ("post", f"/api/meetings/{m}/participants", {"kind": "patient"}),
        ("delete", f"/api/meetings/{m}/participants/{participant.public_id}", None),
        ("post", f"/api/meetings/{m}/decisions", {"text": "x"}),
        ("post", f"/api/meeting-decisions/{decision.public_id}/task",
         {"owner": "patient", "due_on": (clock.today() + dt.timedelta(days=3)).isoformat()}),
        ("get", f"/api/meetings/{m}/ics", None),
    ]


def _call(client: Client, method: str, url: str, body: Any) -> Any:
    if method == "get":
        return client.get(url)
    if method == "delete":
        return client.delete(url)
    return getattr(client, method)(url, body if body is not None else {})


def test_no_endpoint_lets_someone_without_a_role_learn_or_change_anything(  # type: ignore[no-untyped-def]
        meeting, decision, pathway, outsider, kin_user, emergency_clinician):
    """An outsider, a next of kin without the consent to "meetings" and an emergency access:
    404 everywhere, nothing stored, each refusal audited."""
    before = _state()
    for who in (outsider, kin_user, emergency_clinician):
        client = as_(who)
        for method, url, body in _endpoints(meeting, decision, pathway):
            response = _call(client, method, url, body)
            assert response.status_code == 404, (who, method, url, response.status_code)
            assert "ikke tilgang" in response.json()["message"]
    assert _state() == before
    assert AuditEvent.objects.filter(actor_id=outsider.user_id,
                                     outcome=AuditEvent.Outcome.DENIED).count() >= 12


def test_those_who_read_meetings_may_not_change_them(meeting, decision, pathway, nav, gp,  # type: ignore[no-untyped-def]
                                                     patient_user, kin_meetings):
    """NAV, the GP, the patient and a next of kin with consent read (200) and are refused
    every write with 403, nothing stored."""
    before = _state()
    for who in (nav, gp, patient_user, kin_meetings):
        client = as_(who)
        for method, url, body in _endpoints(meeting, decision, pathway):
            response = _call(client, method, url, body)
            expected = 200 if method == "get" else 403
            assert response.status_code == expected, (who, method, url, response.status_code)
    assert _state() == before


def test_signed_out_is_401(meeting, decision, pathway):  # type: ignore[no-untyped-def]
    client = Client(DjangoClient())
    for method, url, body in _endpoints(meeting, decision, pathway):
        assert _call(client, method, url, body).status_code == 401, url


def test_unknown_ids_are_404(arranger):  # type: ignore[no-untyped-def]
    client = as_(arranger)
    for url in (f"/api/meetings/{MISSING}", f"/api/meetings/{MISSING}/ics",
                f"/api/pathways/{MISSING}/meetings"):
        assert client.get(url).status_code == 404
    assert client.post(f"/api/meetings/{MISSING}/cancel", {}).status_code == 404
    assert client.post(f"/api/meeting-decisions/{MISSING}/task",
                       {"owner": "patient", "due_on": "2030-01-01"}).status_code == 404


def test_the_whole_flow_through_the_api(pathway, arranger, treating_clinician, municipal,  # type: ignore[no-untyped-def]
                                        kin):
    client = as_(arranger)
    made = client.post(f"/api/pathways/{pathway.public_id}/meetings", {
        "kind": "before_discharge", "starts_at": at(-1).isoformat(),
        "ends_at": at(-1, 11).isoformat(), "video_link": "https://video.example.no/r/7",
        "agenda": "Bolig"})
    assert made.status_code == 201, made.content
    body = made.json()
    assert body["kind_label"] == "Samarbeidsmøte før utskriving"
    assert body["stay_id"] and body["sequence"] == 0 and len(body["participants"]) == 1
    mid = body["id"]
    for person in ({"kind": "staff", "staff_id": str(municipal.public_id)},
                   {"kind": "patient", "email": "pasient@example.no"},
                   {"kind": "next_of_kin", "next_of_kin_id": str(kin.public_id)}):
        assert client.post(f"/api/meetings/{mid}/participants", person).status_code == 201
    changed = client.patch(f"/api/meetings/{mid}", {
        "version": body["version"], "starts_at": at(-1, 12).isoformat(),
        "ends_at": at(-1, 13).isoformat(), "video_link": "https://video.example.no/r/7"})
    assert changed.status_code == 200 and changed.json()["sequence"] == 1
    ics = client.get(f"/api/meetings/{mid}/ics")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    event = icalendar.Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert int(event["sequence"]) == 1 and event["dtstart"].params["TZID"] == "Europe/Oslo"
    # Held (it was yesterday); minutes; a decision that becomes a task.
    held = client.post(f"/api/meetings/{mid}/held", {})
    assert held.status_code == 200 and held.json()["status"] == "held"
    minutes = client.put(f"/api/meetings/{mid}/minutes",
                         {"version": held.json()["version"], "minutes": "Bolig er avklart."})
    assert minutes.status_code == 200 and minutes.json()["minutes"] == "Bolig er avklart."
    decision = client.post(f"/api/meetings/{mid}/decisions", {"text": "Kommunen følger opp"})
    assert decision.status_code == 201
    due = (clock.today() + dt.timedelta(days=10)).isoformat()
    task = client.post(f"/api/meeting-decisions/{decision.json()['id']}/task",
                       {"owner": str(municipal.public_id), "due_on": due})
    assert task.status_code == 201, task.content
    assert task.json()["owner_name"] == municipal.name
    got = client.get(f"/api/meetings/{mid}").json()
    assert got["decisions"][0]["task_id"] == task.json()["id"]
    # The list, and the patient's own.
    listed = client.get(f"/api/pathways/{pathway.public_id}/meetings").json()
    assert [m["id"] for m in listed["items"]] == [mid]


def test_removing_and_cancelling(meeting, arranger, municipal):  # type: ignore[no-untyped-def]
    client = as_(arranger)
    added = client.post(f"/api/meetings/{meeting.public_id}/participants",
                        {"kind": "staff", "staff_id": str(municipal.public_id)}).json()
    gone = client.delete(f"/api/meetings/{meeting.public_id}/participants/{added['id']}")
    assert gone.status_code == 204
    assert not Participant.objects.filter(public_id=added["id"]).exists()
    cancelled = client.post(f"/api/meetings/{meeting.public_id}/cancel", {})
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    again = client.post(f"/api/meetings/{meeting.public_id}/cancel", {})
    assert again.status_code == 409 and again.json()["message"] == "Møtet er avlyst."


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"kind": "network", "starts_at": "2026-13-01T10:00", "ends_at": "x", "place": "a"}, 422,
     None),
    ({"kind": "fest", "starts_at": "2030-01-01T10:00:00+01:00",
      "ends_at": "2030-01-01T11:00:00+01:00", "place": "a"}, 422, None),
    ({"kind": "network", "starts_at": "2030-01-01T10:00:00+01:00",
      "ends_at": "2030-01-01T09:00:00+01:00", "place": "a"}, 422, "ends_at"),
    ({"kind": "network", "starts_at": "2030-01-01T10:00:00",
      "ends_at": "2030-01-01T11:00:00", "place": "a"}, 422, "starts_at"),
    ({"kind": "network", "starts_at": "2030-01-01T10:00:00+01:00",
      "ends_at": "2030-01-01T11:00:00+01:00", "video_link": "http://x.no"}, 422, "video_link"),
    ({"kind": "network", "starts_at": "2030-01-01T10:00:00+01:00",
      "ends_at": "2030-01-01T11:00:00+01:00"}, 422, "place"),
])
def test_bad_input_is_a_norwegian_4xx_and_stores_nothing(pathway, arranger, body, status,  # type: ignore[no-untyped-def]
                                                         field):
    with clock.frozen(dt.datetime(2029, 12, 1, 12, tzinfo=dt.UTC)):
        response = as_(arranger).post(f"/api/pathways/{pathway.public_id}/meetings", body)
    assert response.status_code == status, response.content
    answer = response.json()
    assert answer["message"]
    if field is not None:
        assert answer["field"] == field
    assert Meeting.objects.count() == 0


def test_a_next_of_kin_without_consent_cannot_be_invited(meeting, arranger, kin_user):  # type: ignore[no-untyped-def]
    from ettervern.patients.models import NextOfKin

    other = NextOfKin.objects.get(user=kin_user)  # consent to the pathway only
    response = as_(arranger).post(f"/api/meetings/{meeting.public_id}/participants",
                                  {"kind": "next_of_kin", "next_of_kin_id": str(other.public_id)})
    assert response.status_code == 409
    assert "samtykket" in response.json()["message"]
    assert meeting.participants.count() == 1


def test_my_meetings_is_the_patients_own(meeting, arranger, patient_user, outsider):  # type: ignore[no-untyped-def]
    services.participant_add(actor=act(arranger), meeting=meeting, patient=True)
    mine = as_(patient_user).get("/api/me/meetings")
    assert mine.status_code == 200
    assert [m["id"] for m in mine.json()["items"]] == [str(meeting.public_id)]
    assert as_(outsider).get("/api/me/meetings").status_code == 404
