from django.urls import path

from ettervern.discharge import views

app_name = "discharge"
urlpatterns = [
    # The discharge page: the checkpoints of integrated aftercare, and the gate.
    path("opphold/<uuid:stay_id>/utskriving/", views.stay_checkpoints, name="stay_checkpoints"),
    path("opphold/<uuid:stay_id>/utskriv/", views.stay_discharge, name="stay_discharge"),
    path("opphold/<uuid:stay_id>/sjekkpunkt/<slug:key>/kryss-av/", views.checkpoint_tick,
         name="checkpoint_tick"),
    path("opphold/<uuid:stay_id>/sjekkpunkt/<slug:key>/angre/", views.checkpoint_untick,
         name="checkpoint_untick"),
    # The discharges ahead on my pathways, with their checkpoints.
    path("utskrivinger/", views.discharges_ahead, name="discharges_ahead"),
    # The team overview ("samtidighet"): what each service is doing now and next.
    path("forlop/<uuid:public_id>/samtidighet/", views.team_overview, name="team_overview"),
]
