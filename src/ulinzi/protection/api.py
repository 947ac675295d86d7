"""``/api/protection/``: sexual-violence counts as suppressed tables, as JSON or CSV.

Every role may read them: the tables hold no cell below the minimum size and no total that would
reveal one. No role, not even the administrators', gets the stored cells through the API.
"""

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from ulinzi.accounts.policy import RecordType
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.api.auth import require_reader
from ulinzi.audit.models import Action
from ulinzi.protection import services, suppression, tables

router = Router(tags=["protection"])

BY_HELP = (
    "bands to break the counts down by, comma-separated, from one view: violence_type; age_band and/or "
    "sex_band; or perpetrator_type (empty: totals)"
)


class SgbvQuery(Schema):
    period: suppression.PeriodUnit = Field(default=suppression.PeriodUnit.MONTH, description="month, quarter or year")
    area: suppression.AreaUnit = Field(default=suppression.AreaUnit.COMMUNE, description="commune, department or all")
    by: str = Field(default="", max_length=80, description=BY_HELP)
    within: str = Field(
        default="", max_length=7, description="keep one year (2024), quarter (2024-Q1) or month (2024-03)"
    )
    pcode: str = Field(
        default="", max_length=20, description="keep one commune or department (with area=commune or department)"
    )
    violence_type: str = Field(default="", max_length=24, description="keep one type of violence (a GBVIMS code)")
    age_band: str = Field(
        default="", max_length=8, description="keep one age band: 0-11, 12-17, 18-59, 60-plus, unknown"
    )
    sex_band: str = Field(default="", max_length=8, description="keep one sex band: female, male, unknown")
    perpetrator_type: str = Field(default="", max_length=20, description="keep one perpetrator type")

    def answered(self) -> suppression.Table:
        try:
            query = suppression.Query.parse(
                period=self.period,
                area=self.area,
                by=self.by,
                within=self.within,
                pcode=self.pcode,
                bands={name: getattr(self, name) for name in suppression.BAND_DIMENSIONS},
            )
            return services.table(query)
        except suppression.QueryRefused as refused:
            raise HttpError(422, str(refused)) from None


class SgbvRowOut(Schema):
    period: str
    pcode: str | None = Field(description="the commune or department; empty for all areas")
    area: str
    violence_type: str | None = None
    age_band: str | None = None
    sex_band: str | None = None
    perpetrator_type: str | None = None
    count: int | None = Field(description="exact, or the lower bound for at_least; empty when suppressed")
    qualifier: str = Field(description="exact, at_least or suppressed")


class SgbvTableOut(Schema):
    min_cell: int = Field(description="k: cells with 1 to k-1 incidents are never shown")
    period: str
    area: str
    by: list[str]
    note: str
    rows: list[SgbvRowOut]


@router.get(
    "/sgbv",
    url_name="protection-sgbv",
    operation_id="protection_sgbv",
    response=SgbvTableOut,
    summary="Sexual-violence counts, small cells suppressed",
)
def sgbv(request: HttpRequest, query: Query[SgbvQuery]) -> SgbvTableOut:
    """De-identified incident counts per period (month, quarter or year) and area (commune,
    department or all), optionally broken down by the bands of one GBVIMS view. Cells with fewer
    than `min_cell` incidents, and cells that would let one be worked out, come back with
    `qualifier` `suppressed` and no count; a total covering a suppressed cell is `at_least` the sum
    of its published cells. Every role gets the same table."""
    require_reader(request, RecordType.SGBV_TABLE, Sensitivity.INTERNAL)
    answered = query.answered()
    services.record_output(request, Action.READ, answered, "api")
    names = services.area_names()
    return SgbvTableOut(
        min_cell=answered.min_cell,
        period=answered.query.period.value,
        area=answered.query.area.value,
        by=list(answered.dimensions),
        note=tables.caption(answered),
        rows=[
            SgbvRowOut(
                period=line.period,
                pcode=line.pcode,
                area=line.area_name,
                count=line.count,
                qualifier=line.qualifier,
                **line.bands,
            )
            for line in tables.lines(answered, names)
        ],
    )


@router.get(
    "/sgbv.csv",
    url_name="protection-sgbv-csv",
    operation_id="protection_sgbv_csv",
    summary="Sexual-violence counts as CSV, small cells suppressed",
    openapi_extra={
        "responses": {
            "200": {
                "description": "The suppressed table as CSV",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    },
)
def sgbv_csv(request: HttpRequest, query: Query[SgbvQuery]) -> HttpResponse:
    """The table `GET /api/protection/sgbv` gives, with the same parameters, as a CSV file: one
    row per cell, `count` empty when suppressed, `qualifier` and `min_cell` on every row."""
    require_reader(request, RecordType.SGBV_TABLE, Sensitivity.INTERNAL)
    answered = query.answered()
    services.record_output(request, Action.EXPORT, answered, "csv")
    response = HttpResponse(tables.csv_text(answered, services.area_names()), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="ulinzi-sgbv.csv"'
    return response
