"""The JSON API, mounted at /api/ (OpenAPI at /api/openapi.json, docs at /api/docs).

Callers sign in with a browser session (CSRF-checked) or `Authorization: Bearer ev_…`
(`ettervern token create USERNAME`). This is the shell: each bounded context owns its router
and schemas (`pathways/api.py`, `directory/api.py`) and is mounted here; errors are mapped
once, in api.errors.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.operation import Operation

from ettervern.api import errors
from ettervern.api.auth import bearer_auth, session_auth
from ettervern.beds.api import router as beds_router
from ettervern.catalogue.api import router as catalogue_router
from ettervern.directory.api import router as directory_router
from ettervern.discharge.api import router as discharge_router
from ettervern.meetings.api import router as meetings_router
from ettervern.messaging.api import router as messaging_router
from ettervern.pathways.api import router as pathways_router
from ettervern.planning.api import router as planning_router
from ettervern.portal.api import router as portal_router
from ettervern.rights.api import router as rights_router
from ettervern.tasks.api import router as tasks_router


class EttervernAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Operation) -> str:
        """`ettervern_api_<tag>_<function>`: the ids clients were generated against, kept
        whichever module the endpoint lives in (ninja's default is the module path)."""
        tag = (operation.tags or ["api"])[0].replace(" ", "")
        return f"ettervern_api_{tag}_{operation.view_func.__name__}"


api = EttervernAPI(
    title="Ettervern API",
    version="1",
    description="Integrated aftercare pathways. Ids are UUIDs; every list is paginated "
                "(`page`, `pages`, `total`); errors are `{code, message, field}`.",
    urls_namespace="api",
    docs_url="/docs",
    openapi_url="/openapi.json",
    # The bearer token first: a request that sends one is judged by it alone.
    auth=[bearer_auth, session_auth],
)
errors.install(api)

api.add_router("", pathways_router)
api.add_router("", directory_router)
api.add_router("", planning_router)
api.add_router("", catalogue_router)
api.add_router("", portal_router)
api.add_router("", rights_router)
api.add_router("", beds_router)
api.add_router("", messaging_router)
api.add_router("", tasks_router)
api.add_router("", meetings_router)
api.add_router("", discharge_router)
