"""How much the map's boundaries were simplified, and a picture showing they still look right.

    python bench/map_simplification.py [--originals ../shared/reference/geo] [--warehouse W]

Prints, for the region's powiats and gminas, the vertices and GeoJSON bytes of the original
files (../shared/reference/geo) against the bundled simplified copies (data/reference/geo),
then draws both side by side in one offline HTML page and takes a screenshot of it with
Debian's headless chromium (docs/map_simplification.png). With `--warehouse`, it also prints
the bytes the map adds to the dashboard (the figure's div as the page writes it) and takes a
screenshot of the map as the page draws it (docs/map_dashboard.png) and of its last view,
gminas per 10 000 inhabitants (docs/map_dashboard_gminy.png).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import duckdb
import plotly.graph_objects as go
import shapely
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots
from shapely.geometry import mapping, shape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboards.map_figures import (  # noqa: E402
    INDICATOR,
    OFFLINE_GEO_JS,
    active_pes_map_figure,
    map_rows,
)
from dashboards.marts import indicator_texts  # noqa: E402
from dashboards.page import indicator_block  # noqa: E402

REGION = "28"
PAIRS = {  # level -> (original file, its code property, bundled copy)
    "powiaty": ("rimjim_PL_powiaty_wgs.geojson", "id_pow", "powiaty_PL_simplified.geojson"),
    "gminy": ("dariolas_28_gminy_wgs.geojson", "jpt_kod_je", "gminy_28_simplified.geojson"),
}


def region_collection(path: Path, code_property: str) -> dict:
    collection = json.loads(path.read_text(encoding="utf-8"))
    features = [f for f in collection["features"]
                if str(f["properties"][code_property]).startswith(REGION)]
    return {"type": "FeatureCollection",
            "features": [{**f, "id": str(f["properties"][code_property])} for f in features]}


def vertices(collection: dict) -> int:
    return sum(shapely.get_num_coordinates(shape(f["geometry"]))
               for f in collection["features"])


def clockwise(collection: dict) -> dict:
    """The collection with exterior rings clockwise, as plotly's map draws them."""
    return {**collection, "features": [
        {**f, "geometry": mapping(shapely.orient_polygons(shape(f["geometry"]),
                                                          exterior_cw=True))}
        for f in collection["features"]]}


def outline_trace(collection: dict) -> go.Choropleth:
    codes = [f["id"] for f in collection["features"]]
    return go.Choropleth(geojson=collection, locations=codes, z=[0] * len(codes),
                         colorscale=[[0, "#DCE9F5"], [1, "#DCE9F5"]], showscale=False,
                         marker={"line": {"color": "#0072B2", "width": 0.7}})


def offline_html(figure: go.Figure) -> str:
    """The figure's page with plotly.js and the stand-in world map, as the dashboard has them."""
    return (f"<html><head><meta charset='utf-8'><script>{get_plotlyjs()}{OFFLINE_GEO_JS}"
            f"</script></head><body>{figure.to_html(full_html=False, include_plotlyjs=False)}"
            "</body></html>")


def screenshot(html: str, out: Path, size: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "page.html"
        page.write_text(html, encoding="utf-8")
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                        "--hide-scrollbars", f"--window-size={size}",
                        "--virtual-time-budget=5000", f"--screenshot={out}",
                        page.as_uri()], check=True, capture_output=True, timeout=120)


def compare(originals: Path) -> None:
    figure = make_subplots(rows=2, cols=2, specs=[[{"type": "geo"}] * 2] * 2,
                           subplot_titles=[f"{level}: {kind}" for level in PAIRS
                                           for kind in ("oryginał", "uproszczone")])
    for row, (level, (original, code, copy)) in enumerate(PAIRS.items(), start=1):
        before = region_collection(originals / original, code)
        after = region_collection(ROOT / "data/reference/geo" / copy, "teryt")
        for col, collection in enumerate((before, after), start=1):
            figure.add_trace(outline_trace(clockwise(collection)), row=row, col=col)
        print(f"{level}: {vertices(before)} -> {vertices(after)} vertices, "
              f"{len(json.dumps(before['features']))} -> "
              f"{len(json.dumps(after['features'], separators=(',', ':')))} B of GeoJSON")
    figure.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    figure.update_layout(width=1400, height=1100, margin={"l": 10, "r": 10, "t": 40, "b": 10})
    screenshot(offline_html(figure), ROOT / "docs/map_simplification.png", "1400,1100")


def dashboard_map(warehouse: Path, data_as_of: date) -> None:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        frame = map_rows(con, data_as_of)
        text = indicator_texts(con, [INDICATOR])[INDICATOR]
    figure = active_pes_map_figure(frame, text, data_as_of)
    block = indicator_block(figure, text)
    print(f"the map's div in the page: {len(str(block.html).encode('utf-8'))} B")
    figure.update_layout(width=1000)
    screenshot(offline_html(figure), ROOT / "docs/map_dashboard.png",
               f"1000,{figure.layout.height}")
    # the last view of the list (gminas per 10 000 inhabitants), as its button would show it
    menu = figure.layout.updatemenus[0]
    view = menu.buttons[-1].args[0]
    for index, trace in enumerate(figure.data):
        trace.update(visible=view["visible"][index], z=view["z"][index],
                     colorbar_title_text=view["colorbar.title.text"][index])
    figure.update_layout(updatemenus=[{**menu.to_plotly_json(), "active": len(menu.buttons) - 1}])
    screenshot(offline_html(figure), ROOT / "docs/map_dashboard_gminy.png",
               f"1000,{figure.layout.height}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--originals", type=Path, default=ROOT.parent / "shared/reference/geo")
    parser.add_argument("--warehouse", type=Path)
    parser.add_argument("--data-as-of", type=date.fromisoformat, default=date(2026, 10, 31))
    arguments = parser.parse_args()
    compare(arguments.originals)
    if arguments.warehouse:
        dashboard_map(arguments.warehouse, arguments.data_as_of)
