"""Rules of the codebase that prose alone would let drift (CONTRIBUTING.md)."""

import ast
from pathlib import Path

import pytest
from django.apps import apps

SRC = Path(__file__).resolve().parents[1] / "src" / "ulinzi"
MAX_MODULE_LINES = 800

# Pure computations: importers' parsing, strength arithmetic. They never touch Django.
PURE_MODULES = [
    "env.py",
    "importing/csvrows.py",
    "importing/citations.py",
    "importing/errors.py",
    "importing/registry.py",
    "importing/rejects.py",
    "importing/files.py",
    "importing/fields.py",
    "importing/report.py",
    "incidents/taxonomy.py",
    "incidents/importers/acled/rows.py",
    "incidents/importers/acled/columnar.py",
    "incidents/importers/ucdp/rows.py",
    "incidents/importers/hxl/rows.py",
    "incidents/importers/records.py",
    "incidents/importers/actors/rows.py",
    "incidents/actors.py",
    "incidents/dedup.py",
    "incidents/importers/fields.py",
    "incidents/importers/command.py",
    "accounts/sensitivity.py",
    "accounts/roles.py",
    "accounts/policy.py",
    "accounts/qr.py",
    "geo/masking.py",
    "protection/suppression.py",
    "protection/gbvims.py",
    "protection/tables.py",
    "protection/importers/sgbv/rows.py",
    "audit/chain.py",
    "claims/ledger.py",
    "insights/before_after.py",
    "insights/chart.py",
    "reports/period.py",
    "reports/maps.py",
    "forces/strength.py",
    "forces/importers/strength/records.py",
    "forces/importers/strength/dialects.py",
    "geo/importers/boundaries/features.py",
    "geo/importers/population/rows.py",
    "geo/lookup.py",
    "geo/geocoding.py",
    "geo/geometry.py",
    "geo/control.py",
    "geo/routing.py",
    "geo/share_chart.py",
    "geo/importers/roads/features.py",
    "geo/importers/control/features.py",
    "geo/importers/gazetteer/rows.py",
    "intake/documents.py",
    "intake/fetch.py",
    "intake/review_fields.py",
    "intake/extraction/records.py",
    "intake/extraction/gazetteer.py",
    "intake/extraction/places.py",
    "intake/extraction/places_unknown.py",
    "intake/extraction/cues.py",
    "intake/extraction/dates.py",
    "intake/extraction/numbers.py",
    "intake/extraction/parts.py",
    "intake/extraction/deployment_rules.py",
    "intake/extraction/event_rules.py",
    "intake/extraction/claim_rules.py",
    "intake/extraction/rules.py",
    "intake/extraction/pipeline.py",
    "intake/extraction/evaluation.py",
    "patrols/points.py",
    "patrols/tracks.py",
    "patrols/xmltracks.py",
    "patrols/jsontracks.py",
    "patrols/columns.py",
    "patrols/cleaning.py",
    "patrols/assign.py",
    "patrols/effort.py",
    "patrols/nearby.py",
]


def python_files() -> list[Path]:
    return [path for path in SRC.rglob("*.py") if "migrations" not in path.parts]


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("relative", PURE_MODULES)
def test_pure_modules_do_not_import_django(relative):
    modules = imported_modules(SRC / relative)
    assert not [name for name in modules if name == "django" or name.startswith("django.")]
    assert not [name for name in modules if name.endswith((".models", ".services"))]


def test_only_dbcompat_asks_which_database_is_running():
    offenders = [
        str(path.relative_to(SRC))
        for path in python_files()
        if path.name != "dbcompat.py" and "connection.vendor" in path.read_text()
    ]
    assert offenders == []


def test_the_ingest_path_does_not_import_the_serving_path():
    ingest = [path for path in python_files() if "importers" in path.parts or "importing" in path.parts]
    for path in ingest:
        serving = [name for name in imported_modules(path) if name.startswith(("ulinzi.api", "ulinzi.web"))]
        assert serving == [], f"{path.relative_to(SRC)} imports {serving}"


def test_no_module_is_over_the_size_cap():
    large = {
        str(p.relative_to(SRC)): n for p in python_files() if (n := len(p.read_text().splitlines())) > MAX_MODULE_LINES
    }
    assert large == {}


def test_every_model_states_its_sensitivity():
    unlabelled = [
        model.__name__
        for model in apps.get_models()
        if model.__module__.startswith("ulinzi.")
        and not hasattr(model, "SENSITIVITY")
        and not hasattr(model, "SENSITIVITY_FROM")
        and "sensitivity" not in {field.name for field in model._meta.get_fields()}
    ]
    assert unlabelled == []


def test_templates_and_static_files_reference_no_remote_assets():
    pattern = ("cdn.", "unpkg.com", "fonts.googleapis", "tile.openstreetmap", "api.mapbox", "jsdelivr")
    for path in [*SRC.rglob("*.html"), *SRC.rglob("*.js"), *SRC.rglob("*.css")]:
        text = path.read_text()
        assert not [p for p in pattern if p in text], path
