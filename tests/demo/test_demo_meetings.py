"""The demo's meetings on the pasient's pathway: a follow-up meeting after the first stay and
a network meeting with the parorende, both held; a cooperation meeting before discharge from
the ongoing stay, planned and not yet held (so its checkpoint is open); each role reads them
as the policy says."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from ettervern.access.policy import Actor
from ettervern.core import clock
from ettervern.core.errors import NotFound
from ettervern.meetings.models import Meeting
from ettervern.meetings.selectors import meeting_ics, pathway_meetings
from ettervern.pathways.models import Pathway, Stay

pytestmark = pytest.mark.usefixtures("demo")
User = get_user_model()


def _actor(username: str) -> Actor:
    return Actor(user=User.objects.get(username=username), channel="cli")


def _pathway() -> Pathway:
    return Pathway.objects.get(patient__user__username="pasient", closed_at__isnull=True)


def test_the_pasients_meetings(db):  # type: ignore[no-untyped-def]
    pathway = _pathway()
    meetings = {m.kind: m for m in Meeting.objects.filter(pathway=pathway)}
    assert set(meetings) == {"before_discharge", "after_discharge", "network"}
    ongoing = Stay.objects.get(pathway=pathway, status=Stay.Status.ONGOING)
    before = meetings["before_discharge"]
    assert (before.status, before.stay_id) == ("planned", ongoing.pk)
    assert before.starts_at > clock.now()
    assert not Meeting.objects.filter(pathway=pathway, kind="before_discharge",
                                      status="held").exists()
    after = meetings["after_discharge"]
    assert after.status == "held" and after.stay.status == Stay.Status.DISCHARGED
    assert after.minutes and after.held_at == after.ends_at
    network = meetings["network"]
    assert network.status == "held"
    assert network.participants.filter(next_of_kin__user__username="parorende").exists()
    decision = network.decisions.get()
    assert decision.task is not None and decision.task.owner.username == "nav"
    assert before.participants.count() == 6  # the koordinator and five more


@pytest.mark.parametrize("username", ["koordinator", "behandler", "kommune", "nav", "fastlege",
                                      "pasient", "parorende"])
def test_every_role_on_the_pathway_reads_them(db, username):  # type: ignore[no-untyped-def]
    _pathway_read, meetings = pathway_meetings(actor=_actor(username),
                                               public_id=_pathway().public_id)
    assert len(meetings) == 3
    assert meeting_ics(actor=_actor(username), public_id=meetings[0].public_id).content


def test_others_do_not(db):  # type: ignore[no-untyped-def]
    for username in ("admin", "sengepost"):
        with pytest.raises(NotFound):
            pathway_meetings(actor=_actor(username), public_id=_pathway().public_id)
