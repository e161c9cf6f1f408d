from django.urls import path

from ettervern.tasks import views

app_name = "tasks"

urlpatterns = [
    # "Mine oppgaver": the signed-in person's open tasks on all their pathways.
    path("oppgaver/", views.mine, name="mine"),
    # A pathway's tasks (the team), and adding one.
    path("forlop/<uuid:public_id>/oppgaver/", views.pathway_tasks, name="pathway_tasks"),
    path("forlop/<uuid:public_id>/oppgaver/ny/", views.task_create, name="task_create"),
    # Steps on one task.
    path("oppgaver/<uuid:task_id>/utfort/", views.task_complete, name="task_complete"),
    path("oppgaver/<uuid:task_id>/gjenapne/", views.task_reopen, name="task_reopen"),
    path("oppgaver/<uuid:task_id>/avbryt/", views.task_cancel, name="task_cancel"),
    # The patient's own.
    path("meg/oppgaver/", views.portal, name="portal"),
]
