"""The discharge page: the checkpoints in Norwegian, ticking, and the gate with its question."""

from __future__ import annotations

from django.urls import reverse

from ettervern.discharge.models import CheckpointTick, DischargeOverride
from ettervern.pathways.models import Stay
from tests.discharge.conftest import REASON
from tests.pathways.helpers import days_ago
from tests.planning.conftest import client_of


def _url(stay: Stay, name: str = "discharge:stay_checkpoints", *args: str) -> str:
    return reverse(name, args=[stay.public_id, *args])


def test_the_page_lists_the_checkpoints_and_the_pathway_links_to_it(stay, coordinator):  # type: ignore[no-untyped-def]
    client = client_of(coordinator)
    pathway_page = client.get(reverse("pathways:pathway", args=[stay.pathway.public_id]))
    assert _url(stay) in pathway_page.content.decode()
    page = client.get(_url(stay)).content.decode()
    assert "Sjekkpunkter før utskriving" in page
    assert "0 av 10 sjekkpunkter er oppfylt" in page
    assert "Kriseplanen er på plass" in page and "Fastlegen er informert" in page
    assert "Begrunnelse for utskriving med åpne sjekkpunkter" in page


def test_tick_and_untick_from_the_page(stay, coordinator):  # type: ignore[no-untyped-def]
    client = client_of(coordinator)
    response = client.post(_url(stay, "discharge:checkpoint_tick", "gp_informed"),
                           {"gp_informed-note": "Epikrise sendt."}, follow=True)
    page = response.content.decode()
    assert "Sjekkpunktet er krysset av." in page and "Epikrise sendt." in page
    assert f"Krysset av: {coordinator.name}" in page
    client.post(_url(stay, "discharge:checkpoint_untick", "gp_informed"))
    assert not CheckpointTick.objects.filter(withdrawn_at__isnull=True).exists()


def test_a_derived_checkpoint_is_refused_with_a_message(stay, coordinator):  # type: ignore[no-untyped-def]
    response = client_of(coordinator).post(
        _url(stay, "discharge:checkpoint_tick", "crisis_plan"), {"crisis_plan-note": ""})
    assert response.status_code == 409
    assert "følger av dataene" in response.content.decode()
    assert not CheckpointTick.objects.exists()


def test_discharge_without_reason_asks_for_it_and_changes_nothing(stay, coordinator):  # type: ignore[no-untyped-def]
    response = client_of(coordinator).post(_url(stay, "discharge:stay_discharge"),
                                           {"on": days_ago(0).isoformat()})
    assert response.status_code == 409
    assert "Disse sjekkpunktene er fortsatt åpne" in response.content.decode()
    stay.refresh_from_db()
    assert stay.status == Stay.Status.ONGOING


def test_discharge_with_reason_is_confirmed_then_shown_on_the_pathway(stay, coordinator):  # type: ignore[no-untyped-def]
    client = client_of(coordinator)
    data = {"on": days_ago(0).isoformat(), "reason": REASON}
    question = client.post(_url(stay, "discharge:stay_discharge"), data)
    assert question.status_code == 200
    assert "kan ikke angres" in question.content.decode()
    stay.refresh_from_db()
    assert stay.status == Stay.Status.ONGOING
    response = client.post(_url(stay, "discharge:stay_discharge"), {**data, "confirmed": "yes"},
                           follow=True)
    page = response.content.decode()
    assert "Pasienten er skrevet ut." in page
    assert "med åpne sjekkpunkter" in page and REASON in page
    assert DischargeOverride.objects.get(stay=stay).by_name == coordinator.name


def test_the_patient_sees_no_checkpoints_or_override(stay, coordinator, patient_user):  # type: ignore[no-untyped-def]
    from ettervern.pathways import services
    from tests.pathways.helpers import act

    services.stay_discharge(actor=act(coordinator), stay=stay, on=days_ago(0), reason=REASON)
    client = client_of(patient_user)
    assert client.get(_url(stay)).status_code == 404
    page = client.get(reverse("pathways:pathway", args=[stay.pathway.public_id]),
                      follow=True).content.decode()
    assert REASON not in page and "sjekkpunkt" not in page.lower()


def test_gp_reads_but_cannot_tick_or_discharge(stay, gp):  # type: ignore[no-untyped-def]
    client = client_of(gp)
    page = client.get(_url(stay)).content.decode()
    assert "Fastlegen er informert" in page and "Kryss av" not in page
    assert 'name="reason"' not in page
    assert client.post(_url(stay, "discharge:checkpoint_tick", "gp_informed")).status_code == 403
    assert client.post(_url(stay, "discharge:stay_discharge"),
                       {"on": days_ago(0).isoformat(), "reason": REASON,
                        "confirmed": "yes"}).status_code == 403
    stay.refresh_from_db()
    assert stay.status == Stay.Status.ONGOING and not CheckpointTick.objects.exists()


def test_discharges_ahead_lists_my_stays_with_their_checkpoints(stay, coordinator, outsider):  # type: ignore[no-untyped-def]
    from ettervern.access.models import AuditEvent

    page = client_of(coordinator).get(reverse("discharge:discharges_ahead")).content.decode()
    assert stay.pathway.patient.full_name in page and "0 av 10 sjekkpunkter er oppfylt" in page
    assert AuditEvent.objects.filter(action="discharge.list", actor_id=coordinator.user_id,
                                     pathway_id=stay.pathway_id).exists()
    other = client_of(outsider).get(reverse("discharge:discharges_ahead")).content.decode()
    assert stay.pathway.patient.full_name not in other
    body = client_of(coordinator).get("/api/discharges").json()
    assert body["total"] == 1 and len(body["items"][0]["open"]) == 10


def test_a_discharge_that_cannot_happen_is_refused_before_the_question(stay, coordinator):  # type: ignore[no-untyped-def]
    client = client_of(coordinator)
    for on, words in ((days_ago(-3), "fram i tid"), (days_ago(30), "før innleggelsesdatoen")):
        response = client.post(_url(stay, "discharge:stay_discharge"),
                               {"on": on.isoformat(), "reason": REASON})
        assert response.status_code == 422
        page = response.content.decode()
        assert words in page and "kan ikke angres" not in page
    stay.refresh_from_db()
    assert stay.status == Stay.Status.ONGOING
