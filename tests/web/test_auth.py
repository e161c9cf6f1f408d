from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_login_page_is_norwegian_and_accessible_markup(client):  # type: ignore[no-untyped-def]
    response = client.get(reverse("web:login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="nb">' in html
    assert 'href="#main"' in html and 'id="main"' in html
    assert '<label for="id_username">Brukernavn' in html
    assert '<label for="id_password">Passord' in html
    assert "Logg inn" in html


def test_login_with_password_lands_on_the_worklist(client, coordinator):  # type: ignore[no-untyped-def]
    coordinator.user.set_password("riktig-passord-123")
    coordinator.user.save()
    response = client.post(reverse("web:login"),
                           {"username": "koord", "password": "riktig-passord-123"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("pathways:worklist")
    assert "Mine forløp" in response.content.decode()
    assert "Staff koord" in response.content.decode()  # the signed-in user's name


def test_wrong_password_is_refused(client, coordinator):  # type: ignore[no-untyped-def]
    coordinator.user.set_password("riktig-passord-123")
    coordinator.user.save()
    response = client.post(reverse("web:login"), {"username": "koord", "password": "feil"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'role="alert"' in response.content.decode()


def test_anonymous_is_sent_to_login(client):  # type: ignore[no-untyped-def]
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("web:login"))
    response = client.get(reverse("pathways:worklist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_logout_is_a_post(coord_client):  # type: ignore[no-untyped-def]
    assert coord_client.get(reverse("web:logout")).status_code == 405
    response = coord_client.post(reverse("web:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in coord_client.session


def test_user_without_staff_or_patient_role_sees_empty_list(client_for):  # type: ignore[no-untyped-def]
    user = get_user_model().objects.create_user("tom", password=None)
    response = client_for(user).get(reverse("pathways:worklist"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("portal:shared")
    assert response.status_code == 200
    assert "Ingen har delt noe med deg" in response.content.decode()
