from __future__ import annotations

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_healthz_reports_the_database(client):  # type: ignore[no-untyped-def]
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "vendor": connection.vendor}


def test_healthz_503_when_the_database_is_down(client, monkeypatch):  # type: ignore[no-untyped-def]
    from ettervern.web import views

    class Broken:
        vendor = "broken"

        def cursor(self):  # type: ignore[no-untyped-def]
            raise OperationalError("connection refused")

    monkeypatch.setattr(views, "connection", Broken())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_favicon_ico_points_at_the_icon(client):  # type: ignore[no-untyped-def]
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    from django.contrib.staticfiles import finders

    assert response["Location"].endswith("/web/favicon.svg")
    assert finders.find("web/favicon.svg")
