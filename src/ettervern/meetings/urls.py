from django.urls import path

from ettervern.meetings import views

app_name = "meetings"
urlpatterns = [
    # A pathway's meetings (the team, the patient, and next of kin with the patient's consent)
    # and arranging one.
    path("forlop/<uuid:public_id>/moter/", views.pathway_meetings, name="pathway_meetings"),
    path("forlop/<uuid:public_id>/moter/ny/", views.meeting_arrange, name="meeting_arrange"),
    # One meeting.
    path("moter/<uuid:public_id>/", views.meeting, name="meeting"),
    path("moter/<uuid:public_id>/endre/", views.meeting_update, name="meeting_update"),
    path("moter/<uuid:public_id>/avlys/", views.meeting_cancel, name="meeting_cancel"),
    path("moter/<uuid:public_id>/holdt/", views.meeting_held, name="meeting_held"),
    path("moter/<uuid:public_id>/referat/", views.meeting_notes, name="meeting_notes"),
    path("moter/<uuid:public_id>/vedtak/", views.decision_add, name="decision_add"),
    path("moter/<uuid:public_id>/deltakere/", views.participant_add, name="participant_add"),
    path("moter/<uuid:public_id>/deltakere/<uuid:participant_id>/fjern/",
         views.participant_remove, name="participant_remove"),
    path("moter/<uuid:public_id>/deltakere/<uuid:participant_id>/kalender.ics",
         views.meeting_ics, name="meeting_ics"),
    path("moter/vedtak/<uuid:decision_id>/oppgave/", views.decision_task, name="decision_task"),
    # The patient's own meetings.
    path("meg/moter/", views.portal, name="portal"),
]
