"""The pre-admission checklist: items as data, one list per pathway entering pre-admission."""
from django.urls import path

from ettervern.planning.checklist import views

urlpatterns = [
    path("forlop/<uuid:public_id>/sjekkliste/", views.checklist, name="checklist"),
    path("sjekkliste/<uuid:item_id>/", views.checklist_item_update,
         name="checklist_item_update"),
]
