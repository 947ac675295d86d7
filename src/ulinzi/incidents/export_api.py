"""``/api/events/export``: the events the list would give, as one file to download.

Its own router, added before the events router, so ``export`` is not read as an ``{event_id}``.
"""

from django.http import HttpRequest, StreamingHttpResponse
from ninja import Field, Query, Router

from ulinzi.api.auth import caller_viewer
from ulinzi.audit.services import filters_of, record_export
from ulinzi.incidents import exports, services
from ulinzi.incidents.api import EventQuery

router = Router(tags=["events"])


class ExportQuery(EventQuery):
    format: exports.FormatName = Field(description="csv (ACLED columns), geojson, hxl (HXL-tagged CSV) or parquet")
    brief: bool = Field(default=False, description="only the brief columns (docs/exporting.md): lighter files for maps")


DOWNLOADS = {
    "200": {
        "description": "The events as a file, streamed",
        "content": {
            fmt.media_type.split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
            for fmt in exports.FORMATS.values()
        },
    }
}


@router.get(
    "/export",
    url_name="events-export",
    operation_id="events_export",
    summary="Events as CSV, GeoJSON, HXL or Parquet",
    openapi_extra={"responses": DOWNLOADS},
)
def event_export(request: HttpRequest, query: Query[ExportQuery]) -> StreamingHttpResponse:
    """Every event you may read that matches the list's filters, newest first, in one streamed
    file: ACLED's CSV columns, an RFC 7946 GeoJSON FeatureCollection, HXL-tagged CSV with P-codes
    and fatality ranges, or typed Parquet. Events you may not read are never included."""
    wanted = query.to_filter()
    events = services.events(caller_viewer(request), wanted)
    chosen = exports.FORMATS[query.format]
    record_export(request, events, {"format": chosen.name, "brief": query.brief, "filters": filters_of(wanted)})
    response = StreamingHttpResponse(
        exports.stream(chosen.name, events, brief=query.brief), content_type=chosen.media_type
    )
    response["Content-Disposition"] = f'attachment; filename="{chosen.filename}"'
    return response
