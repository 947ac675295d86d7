"""The demo: public Haiti data from ``ULINZI_DEMO_DATA`` plus our curated force records.

Loading is idempotent (every importer is), so ``ulinzi demo`` can run any number of times.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from django.contrib.auth import get_user_model

from ulinzi.accounts.roles import Role
from ulinzi.accounts.sensitivity import Sensitivity
from ulinzi.accounts.services import NewAccount, create_account, ensure_role_groups
from ulinzi.audit.services import operator
from ulinzi.claims.curated import load_claims
from ulinzi.forces import services as forces
from ulinzi.forces.importers.strength.importer import import_strength
from ulinzi.geo.importers.boundaries.importer import import_boundaries
from ulinzi.geo.importers.control.importer import import_control
from ulinzi.geo.importers.gazetteer.importer import import_gazetteer
from ulinzi.geo.importers.population.importer import import_population
from ulinzi.geo.models import Place
from ulinzi.geo.roads import build_coarse_network
from ulinzi.incidents.importers.actors.importer import import_actors
from ulinzi.incidents.importers.hxl.importer import import_hxl

TIMELINE = Path("haiti/timeline/mss_timeline.csv")
BOUNDARIES = (
    Path("haiti/boundaries/hti_adm1_departements.geojson"),
    Path("haiti/boundaries/hti_adm2_communes.geojson"),
)
POPULATION = Path("haiti/population/hti_pop2019_adm2_ihsi_unfpa.csv")
GAZETTEER = Path("haiti/gazetteer/hti_admin_gazetteer_codab.csv")
DEMO_ADMIN = "admin"


@dataclass
class DemoReport:
    loaded: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def needs_demo() -> bool:
    """An empty database: no accounts and no force records."""
    return forces.is_empty() and not get_user_model().objects.exists()


def load_demo(data_dir: Path) -> DemoReport:
    ensure_role_groups()
    report = DemoReport()
    timeline = data_dir / TIMELINE
    if timeline.is_file():
        outcome = import_strength(timeline, default_sensitivity=Sensitivity.PUBLIC)
        report.loaded.append(
            f"MSS deployment timeline ({timeline}): {outcome.created} records created, "
            f"{outcome.unchanged} already present"
        )
    else:
        report.missing.append(f"MSS deployment timeline: {timeline} not found")
    curated = resources.files("ulinzi.demo_data").joinpath("forces_curated.csv")
    with resources.as_file(curated) as curated_path:
        outcome = import_strength(curated_path, default_sensitivity=Sensitivity.PUBLIC)
    report.loaded.append(
        f"founding article's Kenyan movements, pledges and the 2025 ceiling: {outcome.created} records created, "
        f"{outcome.unchanged} already present"
    )
    actors_file = resources.files("ulinzi.demo_data").joinpath("actors_curated.csv")
    with resources.as_file(actors_file) as actors_path:
        actors = import_actors(actors_path)
    report.loaded.append(
        f"actors with aliases and coalition memberships: {actors.actors} actors, {actors.aliases_added} aliases and "
        f"{actors.memberships_added} memberships added"
    )
    for relative in BOUNDARIES:
        path = data_dir / relative
        if not path.is_file():
            report.missing.append(f"boundaries: {path} not found")
            continue
        result = import_boundaries(path)
        report.loaded.append(
            f"boundaries ({path.name}): {result.created} created, {result.updated + result.unchanged} already present"
        )
    population = data_dir / POPULATION
    if population.is_file() and (data_dir / BOUNDARIES[1]).is_file():
        figures = import_population(population, source_note="IHSI/UNFPA 2019 estimates (demo use only)")
        report.loaded.append(f"commune population ({population.name}, {figures.year}): {figures.updated} areas")
    else:
        report.missing.append(f"population: {population} not found")
    _load_places(data_dir, report)
    _load_claims(report)
    return report


def _load_claims(report: DemoReport) -> None:
    curated = resources.files("ulinzi.demo_data").joinpath("claims_curated.csv")
    with resources.as_file(curated) as curated_path:
        outcome = load_claims(curated_path, by=operator())
    report.loaded.append(
        f"founding article's headline figures and one conflicting source, as claims: {outcome.created} created, "
        f"{outcome.unchanged} already present"
    )


def _load_places(data_dir: Path, report: DemoReport) -> None:
    admin_names = data_dir / GAZETTEER
    if admin_names.is_file():
        outcome = import_gazetteer(admin_names)
        report.loaded.append(
            f"gazetteer of admin units ({admin_names.name}): {outcome.created + outcome.updated} places"
        )
    else:
        report.missing.append(f"gazetteer: {admin_names} not found")
    curated = resources.files("ulinzi.demo_data").joinpath("places_curated.csv")
    with resources.as_file(curated) as curated_path:
        outcome = import_gazetteer(curated_path)
    report.loaded.append(
        f"Port-au-Prince neighbourhoods (approximate points): {outcome.created + outcome.updated} places"
    )
    control = resources.files("ulinzi.demo_data").joinpath("control_illustrative.geojson")
    with resources.as_file(control) as control_path:
        areas = import_control(control_path)
    report.loaded.append(
        f"ILLUSTRATIVE control layer, not an assessment: {areas.created + areas.updated} areas of two made-up groups"
    )
    events_file = resources.files("ulinzi.demo_data").joinpath("events_illustrative.csv")
    with resources.as_file(events_file) as events_path:
        events = import_hxl(events_path, default_sensitivity=Sensitivity.INTERNAL)
    report.loaded.append(
        f"ILLUSTRATIVE events, not real incidents: {events.created} made-up events around the demo neighbourhoods"
    )
    if Place.objects.filter(kind="admin").exists():
        links = build_coarse_network()
        report.loaded.append(f"coarse road network between commune points (no road data): {links} links")


def create_demo_admin() -> NewAccount | None:
    """An administrator with a random password, unless an account with that name exists."""
    if get_user_model().objects.filter(username=DEMO_ADMIN).exists():
        return None
    return create_account(DEMO_ADMIN, Role.ADMIN, superuser=True)
