"""mail_later and notify: one e-mail per address through the worker, nothing if the change
rolls back, in-app rows for everyone, e-mail only for those who chose it, and never a name."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from ettervern.messaging import jobs
from ettervern.messaging.mail import mail_later
from ettervern.messaging.models import Notification, NotificationPreference
from ettervern.messaging.notify import KINDS, notify, register_kind
from ettervern.pathways.transitions import Transition
from tests import factories

pytestmark = pytest.mark.django_db


def test_mail_later_sends_one_email_per_address_from_the_worker_and_skips_empty_ones() -> None:
    mail_later(to=["a@example.no", "", "  ", "b@example.no", "A@example.no"],
               subject="Nytt i Ettervern", body="Logg inn.",
               attachments=[("mote.ics", "BEGIN:VCALENDAR", "text/calendar")])
    assert mail.outbox == []  # nothing until the worker runs
    assert jobs.run_pending() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.no", "b@example.no"]
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert mail.outbox[0].attachments[0][0] == "mote.ics"


def test_mail_later_sends_nothing_when_the_change_rolls_back() -> None:
    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        mail_later(to=["a@example.no"], subject="s", body="b")
        raise Boom
    assert DBTaskResult.objects.count() == 0
    assert jobs.run_pending() == 0
    assert mail.outbox == []


def test_notify_writes_one_row_per_person_and_emails_only_those_who_chose_it(pathway) -> None:  # type: ignore[no-untyped-def]
    a = factories.staff(username="a").user
    b = factories.staff(username="b").user
    a.email, b.email = "a@example.no", "b@example.no"
    a.save()
    b.save()
    NotificationPreference.objects.create(user=a, kind=Transition.DISCHARGED, email=True)
    NotificationPreference.objects.create(user=b, kind="message", email=True)
    name = pathway.patient.family_name
    notify(users=[a, b, a], kind=Transition.DISCHARGED, text=f"Kari {name} er skrevet ut",
           link=f"/forlop/{pathway.public_id}/", pathway=pathway)
    assert Notification.objects.filter(user=a).count() == 1
    assert Notification.objects.filter(user=b).count() == 1
    assert name in Notification.objects.get(user=a).text  # in the app, for staff
    jobs.run_pending()
    assert [m.to for m in mail.outbox] == [["a@example.no"]]
    sent = mail.outbox[0]
    assert name not in sent.subject + sent.body and "Kari" not in sent.subject + sent.body
    assert sent.subject == "Nytt i Ettervern"
    assert f"http://127.0.0.1:8000/forlop/{pathway.public_id}/" in sent.body


def test_notify_refuses_unknown_kinds_and_outside_links() -> None:
    user = factories.staff().user
    with pytest.raises(ValueError):
        notify(users=[user], kind="nope", text="x", link="/")
    with pytest.raises(ValueError):
        notify(users=[user], kind="message", text="x", link="https://evil.example/")
    register_kind("test-kind", "Test")
    assert KINDS["test-kind"] == "Test"
    notify(users=[user], kind="test-kind", text="x", link="/")
    assert Notification.objects.filter(user=user, kind="test-kind").exists()
    del KINDS["test-kind"]
