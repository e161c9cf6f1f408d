from django.urls import path

from ettervern.catalogue import views

app_name = "catalogue"
urlpatterns = [
    path("tilbud/", views.offers, name="offers"),
]
