from django.urls import path

from ettervern.rights import views

app_name = "rights"
urlpatterns = [
    # The patient portal links to this path (the patient's "who has looked at my data").
    path("meg/innsyn/", views.access_log, name="access_log"),
    path("meg/sperringer/", views.blocks, name="blocks"),
    path("meg/sperringer/<uuid:block_id>/opphev/", views.block_lift, name="block_lift"),
    path("nodtilgang/", views.emergency_open, name="emergency_open"),
    path("nodtilgang/enhet/", views.emergency_review, name="emergency_review"),
]
