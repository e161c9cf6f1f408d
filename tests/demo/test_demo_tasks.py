"""The demo's tasks: on the pasient's pathway, for the koordinator (one overdue), kommune,
nav, fastlege and the pasient, some from the standard table and one done; each sees theirs in
"Mine oppgaver" (the pasient on their own page)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from ettervern.access.policy import Actor
from ettervern.core import clock
from ettervern.pathways.models import Pathway
from ettervern.tasks import selectors
from ettervern.tasks.models import Task

pytestmark = pytest.mark.usefixtures("demo")
User = get_user_model()


def _pathway() -> Pathway:
    return Pathway.objects.get(patient__user__username="pasient", closed_at__isnull=True)


def test_tasks_for_several_roles_on_the_pasients_pathway(db) -> None:  # type: ignore[no-untyped-def]
    tasks = Task.objects.filter(pathway=_pathway()).select_related("owner")
    owners = {t.owner.username for t in tasks if t.status == "open"}
    assert {"koordinator", "kommune", "nav", "fastlege", "pasient"} <= owners
    assert any(t.source.startswith("standard:") for t in tasks)
    assert tasks.filter(status="done").exists()
    overdue = tasks.filter(status="open", owner__username="koordinator",
                           due_on__lt=clock.today())
    assert overdue.exists()


@pytest.mark.parametrize("username", ["koordinator", "kommune", "nav", "fastlege"])
def test_each_sees_theirs_in_my_tasks(db, username) -> None:  # type: ignore[no-untyped-def]
    user = User.objects.get(username=username)
    _page, rows = selectors.my_tasks(Actor(user=user, channel="cli"))
    assert any(r.task.pathway_id == _pathway().pk for r in rows)
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(user)
    page = client.get("/oppgaver/")
    assert page.status_code == 200 and "Jonas Tveit" in page.content.decode()
    if username == "koordinator":
        assert "Fristen passert" in page.content.decode()


def test_the_pasient_sees_their_tasks_in_plain_words(db) -> None:  # type: ignore[no-untyped-def]
    client = Client(HTTP_ACCEPT_LANGUAGE="nb")
    client.force_login(User.objects.get(username="pasient"))
    page = client.get("/meg/oppgaver/").content.decode()
    assert "Ta med husleiekontrakten til møtet med NAV" in page
    assert "Les gjennom planen og si fra om noe bør endres" in page  # done
