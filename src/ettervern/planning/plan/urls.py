from django.urls import path

from ettervern.planning.plan import views

urlpatterns = [
    path("forlop/<uuid:public_id>/plan/", views.plan, name="plan"),
    path("forlop/<uuid:public_id>/plan/opprett/", views.plan_create, name="plan_create"),
    path("forlop/<uuid:public_id>/plan/lagre/", views.plan_update, name="plan_update"),
    path("forlop/<uuid:public_id>/plan/mal/<slug:key>/", views.plan_section,
         name="plan_section"),
    path("forlop/<uuid:public_id>/plan/tiltak/", views.plan_measure_add,
         name="plan_measure_add"),
    path("plan-tiltak/<uuid:measure_id>/", views.plan_measure_update,
         name="plan_measure_update"),
    path("forlop/<uuid:public_id>/plan/versjoner/", views.plan_versions, name="plan_versions"),
    path("forlop/<uuid:public_id>/plan/pdf/", views.plan_pdf, name="plan_pdf"),
    path("forlop/<uuid:public_id>/plan/kommentar/", views.plan_comment, name="plan_comment"),
    path("forlop/<uuid:public_id>/plan/enig/", views.plan_agree, name="plan_agree"),
]
