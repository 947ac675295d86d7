import json

import numpy as np
import pytest

from shapely.geometry import box, shape

from ulinzi.geo.lookup import AdminIndex, Unit, h3_cells

# Two departments side by side; the western one holds two communes, with a gap in its south-east
# corner where only the department applies.
UNITS = [
    Unit("D1", 1, "", box(0, 0, 2, 2)),
    Unit("D2", 1, "", box(2, 0, 4, 2)),
    Unit("C11", 2, "D1", box(0, 0, 1, 2)),
    Unit("C12", 2, "D1", box(1, 1, 2, 2)),
]


def test_each_point_gets_the_codes_of_every_level():
    index = AdminIndex(UNITS)
    result = index.assign(np.array([0.5, 1.5, 1.5, 3.0, 9.0]), np.array([0.5, 1.5, 0.5, 1.0, 9.0]))
    assert list(result.codes[2]) == ["C11", "C12", "", "", ""]
    assert list(result.codes[1]) == ["D1", "D1", "D1", "D2", ""]
    assert result.at(0) == {2: "C11", 1: "D1"}
    assert result.at(4) == {}


def test_an_empty_batch_is_fine():
    result = AdminIndex(UNITS).assign(np.array([]), np.array([]))
    assert list(result.codes[1]) == []


def test_h3_cells_are_integers_at_the_chosen_resolution():
    cells = h3_cells(np.array([-72.33]), np.array([18.54]), resolution=8)
    assert isinstance(cells[0], int)
    assert cells == h3_cells(np.array([-72.33]), np.array([18.54]))


@pytest.mark.slow
def test_real_sections_resolve_central_delmas_and_cite_soleil(shared_data):
    units = []
    for level, name in ((1, "hti_adm1_departements"), (2, "hti_adm2_communes"), (3, "hti_adm3_sections_communales")):
        features = json.loads((shared_data / f"haiti/boundaries/{name}.geojson").read_text())["features"]
        for feature in features:
            props = feature["properties"]
            parent = props.get(f"ADM{level - 1}_PCODE", "") if level > 1 else ""
            units.append(Unit(props[f"ADM{level}_PCODE"], level, parent, shape(feature["geometry"])))
    index = AdminIndex(units)
    # The label points the COD-AB gazetteer gives for Delmas and Cité Soleil.
    result = index.assign(np.array([-72.28718, -72.31643]), np.array([18.5514, 18.59534]))
    assert [result.at(0)[2], result.at(1)[2]] == ["HT0112", "HT0117"]
    assert result.at(0)[1] == "HT01"
    assert result.at(0)[3].startswith("HT0112-")
