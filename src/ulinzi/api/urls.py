"""The NinjaAPI instance; each app contributes a router from its own ``api`` module."""

from __future__ import annotations

from ninja import NinjaAPI

from ulinzi.api.auth import API_AUTH, require_caller
from ulinzi.claims.api import router as claims_router
from ulinzi.dashboard.api import router as dashboard_router
from ulinzi.forces.api import router as forces_router
from ulinzi.geo.api import router as geo_router
from ulinzi.geo.control_api import router as control_router
from ulinzi.geo.roads_api import router as roads_router
from ulinzi.incidents.api import router as events_router
from ulinzi.incidents.export_api import router as export_router
from ulinzi.insights.api import router as insights_router
from ulinzi.intake.api import router as intake_router
from ulinzi.patrols.api import router as patrols_router
from ulinzi.protection.api import router as protection_router

api = NinjaAPI(
    title="Ulinzi API",
    version="1",
    description="Mission information: force strength, geography, and (soon) incidents. Every operation needs "
    "a bearer token or a browser session; figures are computed from the records your role may read.",
    auth=API_AUTH,
    docs_decorator=require_caller,
    urls_namespace="api",
)
api.add_router("/forces/", forces_router)
api.add_router("/geo/", geo_router)
api.add_router("/geo/", control_router)
api.add_router("/geo/", roads_router)
# Before the events router, whose "/{event_id}" would otherwise take "/events/export".
api.add_router("/events", export_router)
api.add_router("/events", events_router)
api.add_router("/protection/", protection_router)
api.add_router("/intake/", intake_router)
api.add_router("/claims", claims_router)
api.add_router("/insights", insights_router)
api.add_router("/patrols", patrols_router)
api.add_router("/dashboard", dashboard_router)
