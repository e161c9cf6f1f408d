from django.urls import path

from ettervern.portal import views

app_name = "portal"
urlpatterns = [
    path("meg/", views.home, name="home"),
    path("meg/samtykker/", views.consents, name="consents"),
    path("meg/samtykker/gi/", views.consent_grant, name="consent_grant"),
    path("meg/samtykker/<uuid:public_id>/trekk-tilbake/", views.consent_withdraw,
         name="consent_withdraw"),
    path("meg/personer/ny/", views.person_add, name="person_add"),
    path("meg/viktig-for-meg/", views.what_matters, name="what_matters"),
    path("delt-med-meg/", views.shared, name="shared"),
    path("forlop/<uuid:public_id>/samtykker/", views.staff_consents, name="staff_consents"),
    path("forlop/<uuid:public_id>/samtykker/registrer/", views.staff_consent_record,
         name="staff_consent_record"),
    path("forlop/<uuid:public_id>/samtykker/<uuid:consent_id>/trekk-tilbake/",
         views.staff_consent_withdraw, name="staff_consent_withdraw"),
    path("forlop/<uuid:public_id>/personer/ny/", views.staff_person_add,
         name="staff_person_add"),
]
