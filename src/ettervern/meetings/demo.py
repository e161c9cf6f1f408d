"""The demo's meetings on the pasient's pathway, made through the services with the clock set
to when each step happened, so that audit rows, notifications and calendar revisions are what
real use leaves behind:

- the follow-up meeting after the first stay's discharge, held 45 days ago, with minutes;
- a network meeting with the parorende (whom the patient shares meetings with), held 30 days
  ago, with a decision that became a task for NAV;
- the cooperation meeting before discharge from the ongoing stay, planned in three weeks and
  not yet held, so its checkpoint is still open.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from ettervern.access.policy import Actor
from ettervern.core import clock
from ettervern.meetings import services
from ettervern.meetings.models import Meeting
from ettervern.pathways.models import Pathway, Stay
from ettervern.patients.models import NextOfKin

OSLO = ZoneInfo("Europe/Oslo")


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=OSLO)


def _held(actor: Actor, meeting: Meeting, minutes: str) -> None:
    with clock.frozen(meeting.ends_at):
        services.meeting_mark_held(actor=actor, meeting=meeting)
        services.meeting_write(actor=actor, meeting=meeting, expected_version=meeting.version,
                               minutes=minutes)


def demo_meetings(pathway: Pathway, *, first: Stay, second: Stay, staff: dict[str, Any],
                  kin: NextOfKin, today: dt.date) -> list[Meeting]:
    days = dt.timedelta
    first, second = Stay.objects.get(pk=first.pk), Stay.objects.select_related("unit").get(
        pk=second.pk)
    koordinator = Actor(user=staff["koordinator"].user, channel="cli")
    kommune = Actor(user=staff["kommune"].user, channel="cli")
    made = []

    # The follow-up meeting after the first stay, arranged before its discharge.
    day = (first.discharged_on or today - days(55)) + days(10)
    with clock.frozen(_at(day - days(14), 9)):
        after = services.meeting_arrange(
            actor=koordinator, pathway=pathway, kind=Meeting.Kind.AFTER_DISCHARGE, stay=first,
            starts_at=_at(day, 13), ends_at=_at(day, 14), place="TSB-poliklinikken, rom 3",
            agenda="Hvordan har de første ukene hjemme gått? Bolig, økonomi og aktivitet.")
        for person in ("kommune", "behandler"):
            services.participant_add(actor=koordinator, meeting=after, staff=staff[person])
        services.participant_add(actor=koordinator, meeting=after, patient=True)
    _held(koordinator, after, "Pasienten bor i egen leilighet og har fast ukeplan. Kommunen "
                              "har ukentlige samtaler. Neste innleggelse er planlagt.")
    made.append(after)

    # A network meeting with the parorende, arranged by the municipality.
    day = today - days(30)
    with clock.frozen(_at(day - days(3), 9)):
        network = services.meeting_arrange(
            actor=kommune, pathway=pathway, kind=Meeting.Kind.NETWORK, starts_at=_at(day, 17),
            ends_at=_at(day, 18, 30), place="Frivilligsentralen, møterom 1",
            agenda="Hvem gjør hva når det blir vanskelig? Avlastning med niesen.")
        for person in ("koordinator", "nav"):
            services.participant_add(actor=kommune, meeting=network, staff=staff[person])
        services.participant_add(actor=kommune, meeting=network, patient=True)
        services.participant_add(actor=kommune, meeting=network, next_of_kin=kin)
    _held(kommune, network, "Mor er kontaktperson når pasienten ikke svarer. NAV ser på "
                            "økonomien før neste utskriving.")
    with clock.frozen(network.ends_at):
        decision = services.decision_add(actor=kommune, meeting=network,
                                         text="NAV avklarer økonomi før utskriving")
        services.decision_to_task(actor=kommune, decision=decision, owner=staff["nav"],
                                  due_on=today + days(5))
    made.append(network)

    # The cooperation meeting before discharge from the ongoing stay: planned, not yet held.
    end = second.planned_end or today + days(28)
    day = end - days(7)
    cooperation = services.meeting_arrange(
        actor=koordinator, pathway=pathway, kind=Meeting.Kind.BEFORE_DISCHARGE, stay=second,
        starts_at=_at(day, 10), ends_at=_at(day, 11, 30),
        place=f"{second.unit.name}, møterommet",
        video_link="https://video.ettervern.example.no/samarbeid",
        agenda="Plan for ettervern: bolig, økonomi, kriseplan, brukerstyrt seng, oppfølging "
               "fra kommunen og fastlegen. Når er oppfølgingsmøtet?")
    for person in ("behandler", "kommune", "nav", "fastlege"):
        services.participant_add(actor=koordinator, meeting=cooperation, staff=staff[person])
    services.participant_add(actor=koordinator, meeting=cooperation, patient=True)
    made.append(cooperation)
    return made
