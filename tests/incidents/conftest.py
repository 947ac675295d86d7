import pytest

from ulinzi.geo.importers.boundaries.importer import import_boundaries


@pytest.fixture
def areas(fixtures_dir) -> None:
    """Three made-up communes (XX0101 Alpha, XX0102 Beta, XX0103 Gamma) in department XX01."""
    import_boundaries(fixtures_dir / "three_areas.geojson")
