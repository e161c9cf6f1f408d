from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from ettervern.accounts.views import logout_view
from ettervern.api.api import api
from ettervern.web.views import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages that name no icon (the admin's).
    path("favicon.ico", RedirectView.as_view(url=static("web/favicon.svg"), permanent=True)),
    path("api/", api.urls),
    # The admin's sign-out goes through ours, so it is audited and ends an OIDC session too.
    path("admin/logout/", logout_view),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("auth/", include("ettervern.oidc.urls")),
    path("", include("ettervern.web.urls")),
    path("", include("ettervern.pathways.urls")),
    path("", include("ettervern.planning.urls")),
    path("", include("ettervern.catalogue.urls")),
    path("", include("ettervern.portal.urls")),
    path("", include("ettervern.rights.urls")),
    path("", include("ettervern.beds.urls")),
    path("", include("ettervern.messaging.urls")),
    path("", include("ettervern.tasks.urls")),
    path("", include("ettervern.meetings.urls")),
    path("", include("ettervern.discharge.urls")),
]
