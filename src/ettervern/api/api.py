"""The JSON API, mounted at /api/ (OpenAPI at /api/openapi.json, docs at /api/docs).

Callers sign in with a browser session (CSRF-checked) or `Authorization: Bearer ev_…`
(`ettervern token create USERNAME`). Every endpoint is a thin shell over the selectors and
services of the app it serves; errors are mapped once, in api.errors.
"""

from __future__ import annotations

from ninja import NinjaAPI

from ettervern.api import careteam, directory, errors, pathways, stays
from ettervern.api.auth import bearer_auth, session_auth

api = NinjaAPI(
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

api.add_router("/pathways", pathways.router)
api.add_router("", stays.router)
api.add_router("", careteam.router)
api.add_router("", directory.router)
