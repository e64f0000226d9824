"""Population, boundaries, the per-10 000 mart and the map figure.

The mart's expected values are worked out by hand from the fixture inbox (tests/test_refresh.py
lists its twelve entities; ten are active on 31.12.2020) and the bundled population file
(data/reference/population/population_total_31XII_PL.csv, year 2019, the latest not after
2020). Active on 31.12.2020 by gmina of seat: Dywity 2814042 (association KRS 100001, KIS
Razem) 2; Stawiguda 2814112 (association 100005) 1; Gietrzwałd 2814052 (association 100004) 1;
Giżycko urban 2806011 (WTZ) 1; Bartoszyce urban 2801011 (CIS) 1; Elbląg 2861011 (cooperative)
1; Olsztyn 2862011 (ZAZ, KIS Olsztyn, and foundation "Bez Statusu", which the register of
social enterprises places in powiat m. Olsztyn only: a city with powiat rights is one gmina) 3.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml
from dagster import materialize

from assets.reference import population, unit_boundary
from assets.settings import MonitorSettings
from assets.warehouse import Warehouse
from dashboards.map_figures import INDICATOR, active_pes_map_figure, map_rows
from dashboards.marts import IndicatorText
from tests.conftest import Refresh

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"
COLUMNS = yaml.safe_load((Path(__file__).resolve().parents[1] / "assets/sql/marts/"
                          "indicators.yml").read_text(encoding="utf-8"))[INDICATOR]["columns"]
TEXT = IndicatorText(INDICATOR, "Aktywne PES na 10 tys. mieszkańców", "liczba podmiotów",
                     "opis", None)


# -- the mart on the fixture inbox ------------------------------------------------------------

@pytest.mark.parametrize(("level", "code", "active", "population", "per_10k"), [
    # 4 / 126 781 * 10 000 = 0.3155 -> 0.32
    ("powiat", "2814", 4, 126_781, 0.32),
    # 3 / 171 979 * 10 000 = 0.1744 -> 0.17
    ("powiat", "2862", 3, 171_979, 0.17),
    # 1 / 57 231 * 10 000 = 0.1747 -> 0.17
    ("powiat", "2801", 1, 57_231, 0.17),
    # 1 / 119 317 * 10 000 = 0.0838 -> 0.08
    ("powiat", "2861", 1, 119_317, 0.08),
    # no entity: 0, not missing
    ("powiat", "2819", 0, 22_638, 0.0),
    # 2 / 12 004 * 10 000 = 1.6661 -> 1.67
    ("gmina", "2814042", 2, 12_004, 1.67),
    # 1 / 6 685 * 10 000 = 1.4959 -> 1.50
    ("gmina", "2814052", 1, 6_685, 1.5),
    # 1 / 10 548 * 10 000 = 0.9480 -> 0.95
    ("gmina", "2814112", 1, 10_548, 0.95),
    # 1 / 29 307 * 10 000 = 0.3412 -> 0.34
    ("gmina", "2806011", 1, 29_307, 0.34),
    # 3 / 171 979 * 10 000 = 0.1744 -> 0.17
    ("gmina", "2862011", 3, 171_979, 0.17),
    # the urban gmina Bartoszyce, not the rural one of the same name
    ("gmina", "2801011", 1, 23_284, 0.43),
    ("gmina", "2801032", 0, 10_715, 0.0),
])
def test_per_10k_by_hand(refreshed: Refresh, level, code, active, population, per_10k) -> None:
    row = refreshed.query(f"select * from marts.{INDICATOR} where level = ? and unit_code = ?",
                          [level, code]).iloc[0]
    assert str(row["month"].date()) == "2020-12-31"
    assert row["active_pes"] == active
    assert row["population"] == population
    assert row["population_year"] == 2019
    assert row["population_source"] == "GUS, Bank Danych Lokalnych"
    assert row["active_pes_per_10k"] == per_10k
    assert row["on_map"]


def test_every_unit_once_and_totals_by_hand(refreshed: Refresh) -> None:
    mart = refreshed.query(f"select * from marts.{INDICATOR}")
    # region 28: 21 powiat-level units, 116 gminas (kinds 1-3)
    assert (mart["level"] == "powiat").sum() == 21
    assert (mart["level"] == "gmina").sum() == 116
    assert not mart.duplicated(["level", "unit_code"]).any()
    # ten active entities, each in one powiat and (all placed) in one gmina
    assert mart.loc[mart["level"] == "powiat", "active_pes"].sum() == 10
    assert mart.loc[mart["level"] == "gmina", "active_pes"].sum() == 10
    assert mart.set_index("unit_code").at["2862011", "active_pes"] == 3
    # the region's population on 31.12.2019 is the sum of its powiats' (1 422 737)
    assert mart.loc[mart["level"] == "powiat", "population"].sum() == 1_422_737


def test_population_is_dated_and_from_its_file(refreshed: Refresh) -> None:
    rows = refreshed.query("select * from core.population where teryt = '2862' order by year")
    assert list(rows["year"]) == list(range(2010, 2020))
    assert str(rows["reference_date"].iloc[-1].date()) == "2019-12-31"
    assert rows["population"].iloc[-1] == 171_979
    # only the region's units (and the voivodeship itself)
    codes = refreshed.query("select distinct teryt from core.population")["teryt"]
    assert codes.str.startswith("28").all()


def test_the_page_names_the_population_year_and_source(refreshed: Refresh) -> None:
    page = (refreshed.publish / "dashboard.html").read_text(encoding="utf-8")
    assert 'id="wykres-active-pes-per-10k"' in page
    assert "GUS, Bank Danych Lokalnych, stan na 31 XII 2019" in page


# -- boundaries for any region ----------------------------------------------------------------

@pytest.mark.parametrize(("region", "powiats", "gminas"), [("28", 21, 116), ("22", 20, 0)])
def test_boundaries_of_any_region(tmp_path: Path, region: str, powiats: int, gminas: int) -> None:
    settings = MonitorSettings(inbox_dir="inbox", reference_dir=str(REFERENCE),
                               landing_dir="landing", publish_dir="publish",
                               pseudonym_key_file="key", region_code=region)
    database = tmp_path / "warehouse.duckdb"
    result = materialize([population, unit_boundary],
                         resources={"settings": settings,
                                    "warehouse": Warehouse(database=str(database))})
    assert result.success
    with duckdb.connect(str(database), read_only=True) as con:
        counts = dict(con.execute("select level, count(*) from marts.unit_boundary "
                                  "group by level").fetchall())
        codes = [r[0] for r in con.execute("select teryt from marts.unit_boundary").fetchall()]
        # Pomorskie's powiats (SOURCES.md: 20) with their population of 2019
        people = con.execute("select count(*) from core.population where year = 2019 "
                             "and level = 'powiat'").fetchall()[0][0]
    assert counts.get("powiat", 0) == powiats and counts.get("gmina", 0) == gminas
    assert all(code.startswith(region) for code in codes)
    assert people == powiats


# -- the figure on a small hand-made mart -----------------------------------------------------

def square(x: float, y: float) -> str:
    return json.dumps({"type": "Polygon",
                       "coordinates": [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]]})


MART_ROWS = [
    # level, code, name, kind, powiat, active, population, per 10 000
    ("powiat", "2801", "bartoszycki", "powiat", "bartoszycki", 1, 57_231, 0.17),
    ("powiat", "2862", "Olsztyn", "miasto na prawach powiatu", "Olsztyn", 2, 171_979, 0.12),
    ("gmina", "2801011", "Bartoszyce", "gmina miejska", "bartoszycki", 1, 23_284, 0.43),
    ("gmina", "2801032", "Bartoszyce", "gmina wiejska", "bartoszycki", 0, 11_617, 0.0),
    ("gmina", "2862011", "Olsztyn", "gmina miejska", "Olsztyn", 2, 171_979, 0.12),
]


def small_mart(with_gminas: bool = True) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create schema marts")
    con.execute(f"create table marts.{INDICATOR} ("
                + ", ".join(f"{c} {t}" for c, t in COLUMNS.items()) + ")")
    con.execute("create table marts.unit_boundary (teryt varchar, level varchar, "
                "geometry varchar)")
    for i, (level, code, name, kind, powiat, active, people, per_10k) in enumerate(MART_ROWS):
        con.execute(f"insert into marts.{INDICATOR} values "
                    "('2026-10-31', ?, ?, ?, ?, ?, ?, ?, 2019, 'GUS, Bank Danych Lokalnych', "
                    "?, true)", [level, code, name, kind, powiat, active, people, per_10k])
        if level == "powiat" or with_gminas:
            con.execute("insert into marts.unit_boundary values (?, ?, ?)",
                        [code, level, square(20 + i, 53)])
    return con


def test_each_level_is_a_trace_and_each_button_a_view_with_the_right_values() -> None:
    frame = map_rows(small_mart(), date(2026, 10, 31))
    figure = active_pes_map_figure(frame, TEXT, date(2026, 10, 31))

    assert [t.name for t in figure.data] == ["Powiaty", "Gminy"]
    assert [t.visible for t in figure.data] == [True, False]
    assert list(figure.data[0].locations) == ["2801", "2862"]
    assert list(figure.data[0].z) == [1, 2]  # 1 and 2 entities: shown, entities are not persons
    assert list(figure.data[1].locations) == ["2801011", "2801032", "2862011"]
    # every location has its feature, matched by id
    for trace in figure.data:
        assert [f["id"] for f in trace.geojson["features"]] == list(trace.locations)
    # the hover: Polish numbers, per 10 000 with two decimals, the population's year
    assert figure.data[1].customdata[0] == (
        "<b>Bartoszyce (gmina miejska, powiat bartoszycki)</b><br>Aktywne podmioty: 1"
        "<br>Na 10 tys. mieszkańców: 0,43<br>Ludność (31 XII 2019): 23\u00a0284")
    assert "<3" not in figure.to_json()
    # each button shows its level and gives each trace its measure's values
    views = {b.label: b.args[0] for b in figure.layout.updatemenus[0].buttons}
    assert list(views) == ["Powiaty: liczba podmiotów", "Powiaty: na 10 tys. mieszkańców",
                           "Gminy: liczba podmiotów", "Gminy: na 10 tys. mieszkańców"]
    assert views["Powiaty: na 10 tys. mieszkańców"]["visible"] == [True, False]
    assert views["Powiaty: na 10 tys. mieszkańców"]["z"] == [[0.17, 0.12], [0.43, 0.0, 0.12]]
    assert views["Gminy: liczba podmiotów"]["visible"] == [False, True]
    assert views["Gminy: liczba podmiotów"]["z"] == [[1, 2], [1, 0, 2]]
    assert views["Gminy: na 10 tys. mieszkańców"]["colorbar.title.text"] == [
        "Na 10 tys.<br>mieszkańców"] * 2
    assert "GUS, Bank Danych Lokalnych, stan na 31 XII 2019" in figure.layout.title.subtitle.text
    assert "31 października 2026" in figure.layout.title.subtitle.text


def test_without_gmina_boundaries_there_is_no_gmina_button_and_the_page_says_so() -> None:
    frame = map_rows(small_mart(with_gminas=False), date(2026, 10, 31))
    figure = active_pes_map_figure(frame, TEXT, date(2026, 10, 31))

    assert [t.name for t in figure.data] == ["Powiaty"]
    assert [b.label for b in figure.layout.updatemenus[0].buttons] == [
        "Powiaty: liczba podmiotów", "Powiaty: na 10 tys. mieszkańców"]
    assert "Mapa gmin niedostępna" in figure.layout.title.subtitle.text


def test_a_month_after_the_data_as_of_is_not_drawn() -> None:
    con = small_mart()
    con.execute(f"update marts.{INDICATOR} set month = '2026-11-30'")
    frame = map_rows(con, date(2026, 10, 31))
    assert frame.empty
    figure = active_pes_map_figure(frame, TEXT, date(2026, 10, 31))
    assert not figure.data  # the empty figure that says so
