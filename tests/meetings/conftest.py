"""Fixtures for meetings: a cooperation meeting before discharge on the pathway's planned stay,
arranged by the coordinator (who has an e-mail address), and a next of kin whom the patient
shares meetings with."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from ettervern.core import clock
from ettervern.meetings import services
from ettervern.meetings.ics import OSLO
from ettervern.patients.models import Consent, NextOfKin
from tests.pathways.helpers import *  # noqa: F403
from tests.pathways.helpers import act


def at(days: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    """A time in Norwegian local time, `days` from today."""
    day = clock.today() + dt.timedelta(days=days)
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=OSLO)


def with_email(staff, address: str):  # type: ignore[no-untyped-def]
    staff.user.email = address
    staff.user.save(update_fields=["email"])
    return staff


@pytest.fixture
def arranger(coordinator):  # type: ignore[no-untyped-def]
    return with_email(coordinator, "koordinator@poliklinikken.example.no")


@pytest.fixture
def meeting(pathway, arranger, treating_clinician):  # type: ignore[no-untyped-def]
    """Planned in a week, at the residential unit, with an agenda."""
    return services.meeting_arrange(
        actor=act(arranger), pathway=pathway, kind="before_discharge", starts_at=at(7),
        ends_at=at(7, 11), place="Døgnavdelingen, møterom 2",
        agenda="Bolig etter utskriving, oppfølging fra kommunen")


@pytest.fixture
def kin_meetings(pathway):  # type: ignore[no-untyped-def]
    """A next of kin (with a login) whom the patient shares meetings with."""
    user = get_user_model().objects.create_user(username="kin_meetings", password=None)
    kin = NextOfKin.objects.create(patient_id=pathway.patient_id, name="Randi Berg",
                                   relation="mor", user=user)
    Consent.objects.create(patient_id=pathway.patient_id, next_of_kin=kin, kind="meetings",
                           given_at=clock.now(), valid_from=clock.today())
    return user


@pytest.fixture
def kin(kin_meetings):  # type: ignore[no-untyped-def]
    return NextOfKin.objects.get(user=kin_meetings)
