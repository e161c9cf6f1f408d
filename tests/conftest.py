from __future__ import annotations

import os

import pytest

from tests import factories


def pytest_collection_modifyitems(items):  # type: ignore[no-untyped-def]
    """Mark the browser tests and run them last: Playwright's event loop must not overlap
    the database tests (Django refuses synchronous queries inside a running loop)."""
    for item in items:
        if "/tests/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)
    items.sort(key=lambda item: "/tests/e2e/" in str(item.path))


def pytest_report_header(config):  # type: ignore[no-untyped-def]
    from django.conf import settings

    return f"database: {settings.DATABASES['default']['ENGINE']}"


@pytest.fixture
def clinic(db):  # type: ignore[no-untyped-def]
    return factories.unit(factories.Unit.Kind.OUTPATIENT, name="TSB-poliklinikken")


@pytest.fixture
def coordinator(clinic):  # type: ignore[no-untyped-def]
    return factories.staff(units=[clinic], username="koord")


@pytest.fixture
def residential_unit(db):  # type: ignore[no-untyped-def]
    return factories.unit(factories.Unit.Kind.RESIDENTIAL, name="Døgnavdelingen")


@pytest.fixture
def outsider(db):  # type: ignore[no-untyped-def]
    """A staff member at another clinic, with no role on anybody's pathway here."""
    other = factories.unit(factories.Unit.Kind.OUTPATIENT, name="Annen poliklinikk")
    return factories.staff(units=[other], username="outsider")


@pytest.fixture
def pathway(coordinator):  # type: ignore[no-untyped-def]
    return factories.open_pathway(coordinator)


def postgres_available() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


requires_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="runs on PostgreSQL only (make test runs the suite on both)",
)
