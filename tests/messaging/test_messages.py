"""Messages: who may read and write which thread, unread counts per person, notifications of a
new message (and an e-mail that names nobody), the last contact per service."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from ettervern.access.models import AuditEvent
from ettervern.core.errors import InvalidInput, NotFound
from ettervern.messaging import jobs, selectors, services
from ettervern.messaging.models import (
    MESSAGE_MAX_LENGTH,
    Message,
    Notification,
    NotificationPreference,
    Thread,
)
from tests.pathways.helpers import act

pytestmark = pytest.mark.django_db

TEAM, PATIENT = Thread.Kind.TEAM, Thread.Kind.PATIENT


def post(who, pathway, kind, text="Hei"):  # type: ignore[no-untyped-def]
    return services.message_post(actor=act(who), pathway=pathway, kind=kind, text=text)


def unread(who, pathway, kind) -> int:  # type: ignore[no-untyped-def]
    found = selectors.pathway_threads(actor=act(who), public_id=pathway.public_id, kinds=[kind])
    return found.threads[0].unread


def test_the_team_writes_in_the_team_thread_and_each_has_an_unread_count(
        pathway, coordinator, municipal, nav, treating_clinician):  # type: ignore[no-untyped-def]
    post(coordinator, pathway, TEAM, "Møte om bolig torsdag?")
    post(municipal, pathway, TEAM, "Torsdag passer.")
    assert unread(nav, pathway, TEAM) == 2
    assert unread(coordinator, pathway, TEAM) == 1  # not one's own
    assert unread(municipal, pathway, TEAM) == 0
    assert unread(treating_clinician, pathway, TEAM) == 2
    services.thread_mark_read(actor=act(nav), pathway=pathway, kind=TEAM)
    assert unread(nav, pathway, TEAM) == 0
    post(treating_clinician, pathway, TEAM, "Utreise mandag.")
    assert unread(nav, pathway, TEAM) == 1
    services_by_author = list(Message.objects.order_by("id").values_list("service", flat=True))
    assert services_by_author == ["outpatient", "municipal", "residential"]


def test_the_patient_thread_is_the_patient_and_the_coordinating_clinic_only(
        pathway, coordinator, patient_user, specialist, municipal, nav, gp, kin_user,
        outsider):  # type: ignore[no-untyped-def]
    post(patient_user, pathway, PATIENT, "Kan vi snakke?")
    post(coordinator, pathway, PATIENT, "Ja, jeg ringer deg.")
    assert unread(specialist, pathway, PATIENT) == 2
    for refused in (municipal, nav, gp, kin_user, outsider):
        with pytest.raises(NotFound):
            unread(refused, pathway, PATIENT)
        with pytest.raises(NotFound):
            post(refused, pathway, PATIENT)
    # The patient is not on the team's thread.
    with pytest.raises(NotFound):
        unread(patient_user, pathway, TEAM)
    with pytest.raises(NotFound):
        post(patient_user, pathway, TEAM)
    assert Message.objects.count() == 2
    denied = AuditEvent.objects.filter(outcome=AuditEvent.Outcome.DENIED,
                                       action="message.patient")
    assert denied.filter(actor_id=nav.user_id).count() == 2


def test_a_reader_sees_the_threads_their_role_allows(pathway, coordinator, patient_user,
                                                      municipal):  # type: ignore[no-untyped-def]
    kinds = lambda who: [v.kind for v in selectors.pathway_threads(  # noqa: E731
        actor=act(who), public_id=pathway.public_id).threads]
    assert kinds(coordinator) == [TEAM, PATIENT]
    assert kinds(municipal) == [TEAM]
    assert kinds(patient_user) == [PATIENT]


def test_bad_text_is_refused_and_nothing_is_stored(pathway, coordinator):  # type: ignore[no-untyped-def]
    for text in ("", "   ", "x" * (MESSAGE_MAX_LENGTH + 1), "a\x00b"):
        with pytest.raises(InvalidInput) as refused:
            post(coordinator, pathway, TEAM, text)
        assert refused.value.field == "text"
    assert Message.objects.count() == 0
    assert not Thread.objects.exists()
    with pytest.raises(NotFound):
        post(coordinator, pathway, "other")


def test_the_database_refuses_empty_and_overlong_messages(pathway, coordinator):  # type: ignore[no-untyped-def]
    thread = Thread.objects.create(pathway=pathway, kind=TEAM)
    for text in ("", "x" * (MESSAGE_MAX_LENGTH + 1)):
        with pytest.raises(IntegrityError), transaction.atomic():
            Message.objects.create(thread=thread, author=coordinator.user, author_name="x",
                                   service="outpatient", text=text)
    with pytest.raises(IntegrityError), transaction.atomic():
        Thread.objects.create(pathway=pathway, kind=TEAM)


def test_a_new_message_notifies_the_others_and_emails_say_nothing_of_whom(
        pathway, coordinator, municipal, nav, patient_user, specialist):  # type: ignore[no-untyped-def]
    for person in (municipal.user, patient_user):
        person.email = f"{person.username}@example.no"
        person.save()
        NotificationPreference.objects.create(user=person, kind="message", email=True)
    post(coordinator, pathway, TEAM, "Husleie er betalt for mai.")
    to_municipal = Notification.objects.get(user=municipal.user)
    assert pathway.patient.full_name in to_municipal.text
    assert to_municipal.link == f"/forlop/{pathway.public_id}/meldinger/#team"
    assert Notification.objects.filter(user=nav.user).count() == 1
    assert not Notification.objects.filter(user=coordinator.user).exists()
    assert not Notification.objects.filter(user=patient_user).exists()  # not the team's thread
    post(coordinator, pathway, PATIENT, "Husk timen din.")
    to_patient = Notification.objects.get(user=patient_user)
    assert to_patient.text == "Du har en ny melding fra klinikken din."
    assert to_patient.link == "/meg/meldinger/"
    assert Notification.objects.filter(user=specialist.user, kind="message").count() == 2
    jobs.run_pending()
    assert sorted(m.to[0] for m in mail.outbox) == ["kommune@example.no", "pasient@example.no"]
    for sent in mail.outbox:
        whole = sent.subject + sent.body
        for secret in (pathway.patient.given_name, pathway.patient.family_name, "Husleie",
                       "timen"):
            assert secret not in whole


def test_reading_the_thread_marks_its_message_notifications_read(pathway, coordinator,
                                                                  municipal):  # type: ignore[no-untyped-def]
    post(coordinator, pathway, TEAM)
    assert selectors.unread_notifications(municipal.user_id) == 1
    assert services.thread_mark_read(actor=act(municipal), pathway=pathway, kind=TEAM) == 1
    assert selectors.unread_notifications(municipal.user_id) == 0


def test_last_contact_per_pathway_and_service(pathway, coordinator, municipal,
                                             patient_user):  # type: ignore[no-untyped-def]
    post(coordinator, pathway, TEAM)
    second = post(coordinator, pathway, PATIENT)
    last_municipal = post(municipal, pathway, TEAM)
    last_patient = post(patient_user, pathway, PATIENT)
    found = selectors.last_contact([pathway.pk, 999999])
    assert found[999999] == {}
    assert found[pathway.pk] == {"outpatient": second.at, "municipal": last_municipal.at,
                                 "patient": last_patient.at}


def test_the_inbox_lists_my_threads_with_unread_counts(pathway, coordinator, municipal,
                                                      patient_user, outsider):  # type: ignore[no-untyped-def]
    post(coordinator, pathway, TEAM)
    post(patient_user, pathway, PATIENT)
    post(patient_user, pathway, PATIENT)
    mine = {t.kind: t.unread for t in selectors.inbox(actor=act(coordinator)).object_list}
    assert mine == {TEAM: 0, PATIENT: 2}
    theirs = {t.kind: t.unread for t in selectors.inbox(actor=act(municipal)).object_list}
    assert theirs == {TEAM: 1}
    assert list(selectors.inbox(actor=act(outsider)).object_list) == []
    assert AuditEvent.objects.filter(action="message.list", actor_id=municipal.user_id,
                                     pathway_id=pathway.pk).count() == 1
