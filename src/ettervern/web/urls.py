from django.urls import path

from ettervern.accounts import views as accounts_views
from ettervern.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("logg-inn/", accounts_views.login_view, name="login"),
    path("logg-inn/kode/", accounts_views.totp_verify, name="login_totp"),
    path("logg-inn/totp-oppsett/", accounts_views.totp_enrol, name="login_totp_enrol"),
    path("logg-ut/", accounts_views.logout_view, name="logout"),
]
