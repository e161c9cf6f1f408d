"""The demo shows the slips' remedies too: a recently closed pathway the koordinator can find
and reopen, and a hand-over to the koordinator with its reason at the top of the worklist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from ettervern.access.policy import REOPEN, Actor, allowed_actions
from ettervern.core import clock
from ettervern.pathways.models import Pathway
from ettervern.pathways.phases import Phase
from ettervern.pathways.selectors import handovers_to_me, pathway_worklist
from ettervern.pathways.services import REOPEN_WITHIN

pytestmark = pytest.mark.usefixtures("demo")


def _actor(username: str) -> Actor:
    return Actor(user=get_user_model().objects.get(username=username), channel="cli")


def test_koordinator_finds_a_recently_closed_pathway_and_may_reopen_it(db):
    me = _actor("koordinator")
    closed = pathway_worklist(actor=me, phase=Phase.CLOSED).rows
    recent = [row.pathway for row in closed
              if clock.now() - row.pathway.closed_at < REOPEN_WITHIN - dt.timedelta(days=1)]
    assert recent, "the demo has no pathway the koordinator could still reopen"
    pathway = Pathway.objects.get(pk=recent[0].pk)
    assert REOPEN in allowed_actions(pathway.access_bases(me.user))  # type: ignore[arg-type]


def test_koordinator_sees_a_handover_with_its_reason(db):
    (notice, *_rest) = handovers_to_me(actor=_actor("koordinator"))
    assert notice.reason
