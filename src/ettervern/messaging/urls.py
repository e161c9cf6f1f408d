from django.urls import path

from ettervern.messaging import views

app_name = "messaging"

urlpatterns = [
    # Staff: a pathway's threads, and my threads across pathways.
    path("forlop/<uuid:public_id>/meldinger/", views.pathway_messages, name="pathway"),
    path("forlop/<uuid:public_id>/meldinger/<str:kind>/", views.message_post, name="post"),
    path("meldinger/", views.inbox, name="inbox"),
    # The patient's thread with the clinic.
    path("meg/meldinger/", views.portal, name="portal"),
    # Everyone signed in: notifications and the e-mail choices.
    path("varsler/", views.notifications, name="notifications"),
    path("varsler/innstillinger/", views.preferences, name="preferences"),
]
