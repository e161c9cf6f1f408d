from django.urls import path

from ettervern.planning.crisis import views

urlpatterns = [
    path("forlop/<uuid:public_id>/kriseplan/", views.crisis_plan, name="crisis_plan"),
    # Outside the page's folder, so that the offline worker's scope does not reach it.
    path("forlop/<uuid:public_id>/kriseplan.pdf", views.crisis_plan_pdf, name="crisis_plan_pdf"),
    path("forlop/<uuid:public_id>/kriseplan/sw.js", views.crisis_plan_sw, name="crisis_plan_sw"),
    path("forlop/<uuid:public_id>/kriseplan/manifest.webmanifest", views.crisis_plan_manifest,
         name="crisis_plan_manifest"),
]
