from django.urls import path

from ettervern.planning.mapping import views

urlpatterns = [
    path("forlop/<uuid:public_id>/kartlegging/", views.mapping_overview, name="mapping_overview"),
    path("forlop/<uuid:public_id>/kartlegging/ny/", views.mapping_round_start,
         name="mapping_round_start"),
    path("forlop/<uuid:public_id>/kartlegging/graf.svg", views.mapping_chart,
         name="mapping_chart"),
    path("kartlegging/<uuid:round_id>/", views.mapping_round, name="mapping_round"),
]
