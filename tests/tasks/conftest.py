"""Fixtures for the tasks tests: the domain roles (tests/pathways/helpers.py), the standard
tasks as the data migration writes them, and clients for pages and the API."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.utils import translation

from ettervern.core import clock
from ettervern.tasks import services
from ettervern.tasks.models import Task
from tests.pathways.helpers import *  # noqa: F403
from tests.pathways.helpers import act
from tests.planning.conftest import (  # noqa: F401
    ROLES,
    api_client,
    client_of,
    kin_crisis_plan,
    kin_mapping,
    kin_plan,
    plan,
    section_types,
)


def ensure_standard_tasks() -> None:
    """The seed migration's rows (a transactional test empties every table when it ends)."""
    seed = importlib.import_module("ettervern.tasks.migrations.0002_standard_tasks")
    seed.add(apps, None)


@pytest.fixture(autouse=True)
def _standard(db):  # type: ignore[no-untyped-def]
    ensure_standard_tasks()


@pytest.fixture(autouse=True)
def _norwegian():  # type: ignore[no-untyped-def]
    with translation.override("nb"):
        yield


def make_task(pathway, by, owner, title: str = "Ring pasienten", *,  # type: ignore[no-untyped-def]
              days: int = 3, **kwargs) -> Task:
    """A task added by `by` for `owner` (a staff member, or "patient"), due in `days` days."""
    import datetime as dt

    owner = owner if owner == "patient" else owner
    return services.task_create(actor=act(by), pathway=pathway, owner=owner, title=title,
                                due_on=clock.today() + dt.timedelta(days=days), **kwargs)
