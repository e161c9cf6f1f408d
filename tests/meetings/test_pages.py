"""The pages of meetings: the coordinator arranges a meeting, invites, writes minutes, marks
it held (asked first), cancels (asked first) and makes a decision a task; the patient sees
their meetings in plain words with the calendar file; a next of kin sees them only with the
patient's consent to "meetings"; bad input is a Norwegian 422 that stores nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from ettervern.core import clock
from ettervern.meetings import services
from ettervern.meetings.models import Decision, Meeting
from ettervern.patients.models import Consent
from tests.meetings.conftest import at
from tests.pathways.helpers import act

pytestmark = pytest.mark.django_db


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(getattr(user, "user", user))
    return client


def _form(when: dt.datetime, **changes: str) -> dict[str, str]:
    return {"kind": "before_discharge", "day": when.date().isoformat(), "start": "10:00",
            "end": "11:30", "place": "Døgnavdelingen, møterom 2", "video_link": "",
            "agenda": "Bolig"} | changes


def test_the_coordinator_arranges_and_runs_a_meeting(pathway, arranger, treating_clinician,  # type: ignore[no-untyped-def]
                                                     municipal):
    client = _client(arranger)
    assert "Møter" in client.get(f"/forlop/{pathway.public_id}/").content.decode()
    page = client.get(f"/forlop/{pathway.public_id}/moter/").content.decode()
    assert "Avtal et møte" in page and "Ingen møter ennå" in page
    made = client.post(f"/forlop/{pathway.public_id}/moter/ny/", _form(at(-1)), follow=True)
    body = made.content.decode()
    assert "Møtet er avtalt" in body and "Samarbeidsmøte før utskriving" in body
    meeting = Meeting.objects.get()
    assert meeting.starts_at == at(-1, 10) and meeting.ends_at == at(-1, 11, 30)
    url = f"/moter/{meeting.public_id}/"
    # Invite the municipal contact, from the care team.
    invited = client.post(f"{url}deltakere/", {"person": f"staff:{municipal.public_id}"},
                          follow=True)
    assert "Deltakeren er invitert" in invited.content.decode()
    assert meeting.participants.count() == 2
    # Minutes, held (asked first), a decision, its task.
    saved = client.post(f"{url}referat/", {"version": meeting.version, "agenda": "Bolig",
                                           "minutes": "Bolig er avklart."}, follow=True)
    assert "Dagsorden og referat er lagret" in saved.content.decode()
    asked = client.post(f"{url}holdt/")
    assert asked.status_code == 200 and "Ble møtet" in asked.content.decode()
    assert Meeting.objects.get().status == "planned"
    client.post(f"{url}holdt/", {"confirmed": "yes"})
    assert Meeting.objects.get().status == "held"
    client.post(f"{url}vedtak/", {"text": "Kommunen skaffer bolig"})
    decision = Decision.objects.get()
    prefix = f"task-{decision.public_id}"
    due = (clock.today() + dt.timedelta(days=10)).isoformat()
    done = client.post(f"/moter/vedtak/{decision.public_id}/oppgave/",
                       {f"{prefix}-owner": str(municipal.public_id), f"{prefix}-due_on": due},
                       follow=True)
    assert "Beslutningen er nå en oppgave" in done.content.decode()
    assert "Ble en oppgave for" in done.content.decode()
    decision.refresh_from_db()
    assert decision.task is not None and decision.task.owner_id == municipal.user_id
    # The calendar file of each participant.
    for participant in meeting.participants.all():
        ics = client.get(f"{url}deltakere/{participant.public_id}/kalender.ics")
        assert ics.status_code == 200 and b"BEGIN:VCALENDAR" in ics.content
        assert "attachment" in ics["Content-Disposition"]


@pytest.mark.parametrize(("changes", "message"), [
    ({"end": "09:00"}, "Møtet må slutte etter at det starter"),
    ({"place": "", "video_link": ""}, "Oppgi et sted eller en videolenke"),
    ({"place": "", "video_link": "http://video.example.no"}, "https://"),
    ({"kind": "network", "day": ""}, "Dette feltet er påkrevd"),
])
def test_bad_input_is_a_norwegian_422(pathway, arranger, treating_clinician, changes, message):  # type: ignore[no-untyped-def]
    response = _client(arranger).post(f"/forlop/{pathway.public_id}/moter/ny/",
                                      _form(at(3), **changes))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert Meeting.objects.count() == 0


def test_cancel_is_asked_first(meeting, arranger):  # type: ignore[no-untyped-def]
    client = _client(arranger)
    url = f"/moter/{meeting.public_id}/avlys/"
    asked = client.post(url)
    assert asked.status_code == 200 and "Avlyse møtet" in asked.content.decode()
    assert Meeting.objects.get().status == "planned"
    done = client.post(url, {"confirmed": "yes"}, follow=True)
    assert "Møtet er avlyst" in done.content.decode()
    assert Meeting.objects.get().status == "cancelled"


def test_the_patient_sees_their_meetings_in_plain_words(meeting, arranger, patient_user):  # type: ignore[no-untyped-def]
    services.participant_add(actor=act(arranger), meeting=meeting, patient=True)
    client = _client(patient_user)
    home = client.get("/meg/").content.decode()
    assert "Mine møter" in home and "Samarbeidsmøte før utskriving" in home
    page = client.get("/meg/moter/").content.decode()
    assert "Legg i kalenderen min" in page and "Hvem kommer:" in page
    assert "Døgnavdelingen, møterom 2" in page
    mine = meeting.participants.get(patient__isnull=False)
    ics = client.get(f"/moter/{meeting.public_id}/deltakere/{mine.public_id}/kalender.ics")
    assert ics.status_code == 200
    # The meeting's own page, plain: no forms to change it.
    own = client.get(f"/moter/{meeting.public_id}/").content.decode()
    assert "Tilbake til møtene mine" in own and "Avlys møtet" not in own


def test_a_next_of_kin_sees_meetings_only_with_consent(meeting, arranger, kin, kin_meetings,  # type: ignore[no-untyped-def]
                                                      pathway):
    services.participant_add(actor=act(arranger), meeting=meeting, next_of_kin=kin)
    services.meeting_write(actor=act(arranger), meeting=meeting,
                           expected_version=meeting.version, minutes="Hemmelig referat")
    client = _client(kin_meetings)
    shared = client.get("/delt-med-meg/")
    assert shared.status_code == 200
    assert f"/forlop/{pathway.public_id}/moter/" in shared.content.decode()
    page = client.get(f"/forlop/{pathway.public_id}/moter/")
    assert page.status_code == 200
    assert "deler disse møtene med deg" in page.content.decode()
    own = client.get(f"/moter/{meeting.public_id}/").content.decode()
    assert "Hva møtet handler om" in own and "Hemmelig referat" not in own
    Consent.objects.filter(next_of_kin=kin).update(withdrawn_at=clock.now())
    assert client.get(f"/forlop/{pathway.public_id}/moter/").status_code == 404
    assert client.get(f"/moter/{meeting.public_id}/").status_code == 404


def test_pages_refuse_without_telling(meeting, pathway, outsider, kin_user, nav):  # type: ignore[no-untyped-def]
    for who in (outsider, kin_user):
        client = _client(who)
        for url in (f"/forlop/{pathway.public_id}/moter/", f"/moter/{meeting.public_id}/"):
            assert client.get(url).status_code == 404
        assert client.post(f"/moter/{meeting.public_id}/avlys/").status_code == 404
    # NAV reads, and is refused changes with 403.
    client = _client(nav)
    page = client.get(f"/moter/{meeting.public_id}/").content.decode()
    assert "Avlys møtet" not in page and "Inviter" not in page
    assert client.post(f"/moter/{meeting.public_id}/avlys/").status_code == 403
    assert client.post(f"/moter/{meeting.public_id}/referat/",
                       {"version": 1, "minutes": "x"}).status_code == 403
    assert Meeting.objects.get().status == "planned" and Meeting.objects.get().minutes == ""


def test_the_lists_cost_the_same_however_many_meetings(pathway, arranger, treating_clinician,  # type: ignore[no-untyped-def]
                                                       patient_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def arrange(n: int) -> None:
        for i in range(n):
            made = services.meeting_arrange(actor=act(arranger), pathway=pathway,
                                            kind="network", starts_at=at(3 + i),
                                            ends_at=at(3 + i, 11), place="Rådhuset")
            services.participant_add(actor=act(arranger), meeting=made, patient=True)
            services.decision_add(actor=act(arranger), meeting=made, text="Noe")

    def cost(who, url: str) -> int:  # type: ignore[no-untyped-def]
        client = _client(who)
        client.get(url)  # the session and the standing, once
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    arrange(1)
    lists = [(arranger, f"/forlop/{pathway.public_id}/moter/"), (patient_user, "/meg/moter/"),
             (patient_user, "/meg/")]
    before = [cost(who, url) for who, url in lists]
    arrange(4)
    assert [cost(who, url) for who, url in lists] == before
