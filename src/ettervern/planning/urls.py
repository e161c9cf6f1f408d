"""Planning's pages: one namespace, made of each capability's."""

from ettervern.planning.checklist.urls import urlpatterns as checklist
from ettervern.planning.crisis.urls import urlpatterns as crisis
from ettervern.planning.mapping.urls import urlpatterns as mapping
from ettervern.planning.plan.urls import urlpatterns as plan

app_name = "planning"
urlpatterns = [*checklist, *plan, *crisis, *mapping]
