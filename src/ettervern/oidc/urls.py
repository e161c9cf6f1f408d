from django.urls import path

from ettervern.oidc import views

app_name = "oidc"
urlpatterns = [
    path("<slug:provider>/login", views.login, name="login"),
    path("<slug:provider>/callback", views.callback, name="callback"),
]
