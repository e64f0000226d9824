"""Boundaries of powiats and gminas for the dashboard's map, simplified for a web page.

The boundary files of the state register (PRG) are drawn for surveyors: a web page needs a
small share of their vertices. `simplified_collection` simplifies all units of a file together
with shapely's coverage simplification (Visvalingam–Whyatt on the shared edges, so neighbours
keep one common border, with no gap or overlap opening between them) and rounds the
coordinates; the simplified copies are what data/reference/geo bundles (its SOURCES.md says
from which file, with which tolerance, and how much smaller they came out).

`python -m sources.boundaries` remakes the bundled copies from the originals in
`../shared/reference/geo` (or the folder given) and prints their vertex counts and sizes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape

#: Degrees, roughly the side of the smallest triangle kept (about 1 km here): about two
#: pixels of a voivodeship drawn 800 px wide.
TOLERANCE_DEG = 0.01
#: Decimals kept: 0.001° is about 100 m, finer than the tolerance.
DECIMALS = 3

#: (original file, its code property, bundled simplified copy); the national powiat file
#: serves any region (filtered by the TERYT prefix), the gmina file only region 28.
BUNDLED = (
    ("rimjim_PL_powiaty_wgs.geojson", "id_pow", "powiaty_PL_simplified.geojson"),
    ("dariolas_28_gminy_wgs.geojson", "jpt_kod_je", "gminy_28_simplified.geojson"),
)


def vertex_count(collection: dict) -> int:
    """Return the number of coordinate pairs in a GeoJSON FeatureCollection."""
    return sum(shapely.get_num_coordinates(shape(f["geometry"])) for f in collection["features"])


def simplified_collection(collection: dict, code_property: str,
                          tolerance: float = TOLERANCE_DEG) -> dict:
    """Return the features with their geometry simplified and only a `teryt` property.

    The code is the one thing the map joins on; names come from TERYT, which is dated.
    """
    geometries = shapely.coverage_simplify(
        [shape(feature["geometry"]) for feature in collection["features"]], tolerance)
    features = [
        {"type": "Feature",
         "properties": {"teryt": str(feature["properties"][code_property])},
         # exterior rings clockwise: plotly's map (d3-geo) reads a counter-clockwise ring as
         # the whole globe but the unit
         "geometry": mapping(shapely.orient_polygons(
             shapely.set_precision(geometry, 10 ** -DECIMALS), exterior_cw=True))}
        for feature, geometry in zip(collection["features"], geometries, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def region_features(path: Path, region_code: str) -> dict:
    """Return the features of `path` whose TERYT code starts with the region's code."""
    collection = json.loads(path.read_text(encoding="utf-8"))
    return {"type": "FeatureCollection",
            "features": [f for f in collection["features"]
                         if f["properties"]["teryt"].startswith(region_code)]}


def write_bundled(original_dir: Path, out_dir: Path) -> list[str]:
    """Write the simplified copies of `BUNDLED` into `out_dir`; return a line per file."""
    lines = []
    for original, code_property, copy in BUNDLED:
        source_path = original_dir / original
        collection = json.loads(source_path.read_text(encoding="utf-8"))
        simple = simplified_collection(collection, code_property)
        target = out_dir / copy
        target.write_text(json.dumps(simple, separators=(",", ":")), encoding="utf-8")
        lines.append(f"{original}: {vertex_count(collection)} vertices, "
                     f"{source_path.stat().st_size} B -> {copy}: {vertex_count(simple)} "
                     f"vertices, {target.stat().st_size} B")
    return lines


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/reference/geo")
    print("\n".join(write_bundled(folder, Path("data/reference/geo"))))
