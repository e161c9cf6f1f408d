from django.urls import path

from ettervern.accounts import views as accounts_views
from ettervern.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("logg-inn/", accounts_views.login_view, name="login"),
    path("logg-inn/kode/", accounts_views.totp_verify, name="login_totp"),
    path("logg-inn/totp-oppsett/", accounts_views.totp_enrol, name="login_totp_enrol"),
    path("logg-ut/", accounts_views.logout_view, name="logout"),
    path("forlop/", views.worklist, name="worklist"),
    path("pasienter/ny/", views.pathway_open, name="pathway_open"),
    path("forlop/<uuid:public_id>/", views.pathway, name="pathway"),
    path("forlop/<uuid:public_id>/fase/", views.pathway_transition, name="pathway_transition"),
    path("forlop/<uuid:public_id>/detaljer/", views.pathway_update, name="pathway_update"),
    path("forlop/<uuid:public_id>/opphold/", views.stay_plan, name="stay_plan"),
    path("forlop/<uuid:public_id>/team/", views.careteam_add, name="careteam_add"),
    path("forlop/<uuid:public_id>/koordinator/", views.coordinator_handover,
         name="coordinator_handover"),
    path("opphold/<uuid:stay_id>/innlegg/", views.stay_admit, name="stay_admit"),
    path("opphold/<uuid:stay_id>/utskriv/", views.stay_discharge, name="stay_discharge"),
    path("opphold/<uuid:stay_id>/avlys/", views.stay_cancel, name="stay_cancel"),
    path("team/<uuid:member_id>/avslutt/", views.careteam_end, name="careteam_end"),
]
