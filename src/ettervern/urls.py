from django.contrib import admin
from django.urls import include, path

from ettervern.api.api import api
from ettervern.web.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("auth/", include("ettervern.oidc.urls")),
    path("", include("ettervern.web.urls")),
]
