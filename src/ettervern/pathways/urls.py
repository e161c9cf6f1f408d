from django.urls import path

from ettervern.pathways import views

app_name = "pathways"
urlpatterns = [
    path("forlop/", views.worklist, name="worklist"),
    path("pasienter/ny/", views.pathway_open, name="pathway_open"),
    path("forlop/<uuid:public_id>/", views.pathway, name="pathway"),
    path("forlop/<uuid:public_id>/fase/", views.pathway_transition, name="pathway_transition"),
    path("forlop/<uuid:public_id>/gjenapne/", views.pathway_reopen, name="pathway_reopen"),
    path("forlop/<uuid:public_id>/personer/", views.person_search, name="person_search"),
    path("forlop/<uuid:public_id>/detaljer/", views.pathway_update, name="pathway_update"),
    path("forlop/<uuid:public_id>/opphold/", views.stay_plan, name="stay_plan"),
    path("forlop/<uuid:public_id>/team/", views.careteam_add, name="careteam_add"),
    path("forlop/<uuid:public_id>/koordinator/", views.coordinator_handover,
         name="coordinator_handover"),
    path("opphold/<uuid:stay_id>/innlegg/", views.stay_admit, name="stay_admit"),
    path("opphold/<uuid:stay_id>/avlys/", views.stay_cancel, name="stay_cancel"),
    path("team/<uuid:member_id>/avslutt/", views.careteam_end, name="careteam_end"),
]
