from django.urls import path

from ettervern.beds import views

app_name = "beds"
urlpatterns = [
    # Staff: the programmes of every region and the search across the country.
    path("brukerstyrt/", views.search, name="search"),
    path("brukerstyrt/program/<uuid:public_id>/", views.programme, name="programme"),
    # The unit's own pages: its programme and capacity (its administrator), its day list,
    # its agreements and its usage.
    path("brukerstyrt/enhet/<uuid:unit_id>/program/", views.programme_edit,
         name="programme_edit"),
    path("brukerstyrt/enhet/<uuid:unit_id>/kapasitet/", views.capacity, name="capacity"),
    path("brukerstyrt/enhet/<uuid:unit_id>/", views.unit_day, name="unit_day"),
    path("brukerstyrt/enhet/<uuid:unit_id>/avtaler/", views.unit_agreements,
         name="unit_agreements"),
    path("brukerstyrt/enhet/<uuid:unit_id>/bruk/", views.usage, name="usage"),
    # A pathway's agreements (the team, and next of kin with the patient's consent).
    path("forlop/<uuid:public_id>/brukerstyrt/", views.pathway_beds, name="pathway_beds"),
    path("forlop/<uuid:public_id>/brukerstyrt/ny/", views.agreement_create,
         name="agreement_create"),
    # The patient's own: accept, see free nights, book and cancel.
    path("meg/brukerstyrt/", views.portal, name="portal"),
    path("meg/brukerstyrt/<uuid:agreement_id>/godta/", views.accept, name="accept"),
    path("meg/brukerstyrt/<uuid:agreement_id>/bestill/", views.book, name="book"),
    # A booked stay: cancelled by the patient or the unit; arrival, refusal and departure by
    # the unit.
    path("brukerstyrt/opphold/<uuid:booking_id>/avbestill/", views.cancel, name="cancel"),
    path("brukerstyrt/opphold/<uuid:booking_id>/ankomst/", views.arrive, name="arrive"),
    path("brukerstyrt/opphold/<uuid:booking_id>/avvis/", views.refuse, name="refuse"),
    path("brukerstyrt/opphold/<uuid:booking_id>/utreise/", views.depart, name="depart"),
]
