"""Fast tests of the dashboard page and its Polish formatting, on a tiny hand-made warehouse."""

from __future__ import annotations

import re
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from plotly.offline import get_plotlyjs

from dashboards import write_dashboard
from dashboards.figures import (
    VERMILLION,
    active_pes_by_powiat_figure,
    jst_supported_figure,
    rkres_meetings_figure,
)
from dashboards.formatting import (
    PLOTLY_SEPARATORS,
    format_date_long,
    format_date_short,
    format_datetime_short,
    format_number,
)
from dashboards.marts import (
    FALLBACK_TEXTS,
    active_pes_by_powiat_latest,
    indicator_texts,
    jst_supported_cumulative,
    rkres_meetings_per_year,
)
from dashboards.tiles import jst_supported_tile, latest_full_year, rkres_meetings_tile

NBSP = "\u00a0"
DATA_AS_OF = date(2026, 10, 31)
REFRESHED_AT = datetime(2026, 11, 5, 14, 3, 59)
STALE_REASON = "Plik z 15.03.2026 jest starszy niż 90 dni"

MARTS_DDL = """
CREATE SCHEMA marts;
CREATE TABLE marts.indicator_catalogue(
    indicator VARCHAR, title_pl VARCHAR, unit_pl VARCHAR, description_pl VARCHAR,
    sql_path VARCHAR);
CREATE TABLE marts.active_pes_by_type(
    month DATE, entity_type VARCHAR, entity_type_pl VARCHAR, active_pes BIGINT);
CREATE TABLE marts.active_pes_by_powiat(
    month DATE, powiat_code VARCHAR, powiat_name VARCHAR, active_pes BIGINT);
CREATE TABLE marts.jst_supported_cumulative(
    month DATE, jst_supported BIGINT, target BIGINT, target_valid_from DATE,
    target_valid_to DATE);
CREATE TABLE marts.rkres_meetings_per_year(year INTEGER, meetings BIGINT, target BIGINT);
CREATE TABLE marts.source_status(
    source VARCHAR, source_pl VARCHAR, file_name VARCHAR, data_as_of DATE, rows_read BIGINT,
    rows_accepted BIGINT, rows_quarantined BIGINT, is_stale BOOLEAN, stale_reason_pl VARCHAR);
"""


def fill_tiny_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the marts with a few hand-made rows whose right answers are obvious."""
    con.execute(MARTS_DDL)
    con.executemany(
        "INSERT INTO marts.indicator_catalogue VALUES (?, ?, ?, ?, ?)",
        [
            (
                "active_pes_by_type",
                "Aktywne PES według typu (z katalogu)",
                "liczba podmiotów",
                "Podmioty działające na koniec miesiąca (opis z katalogu).",
                "marts/active_pes_by_type.sql",
            ),
            (
                "active_pes_by_powiat",
                "Aktywne PES w powiatach (z katalogu)",
                "liczba podmiotów",
                "Podmioty działające w powiecie (opis z katalogu).",
                "marts/by_powiat.sql",
            ),
            (
                "jst_supported_cumulative",
                "JST ze wsparciem (z katalogu)",
                "liczba JST",
                "Różne samorządy wsparte od 2018 r. (opis z katalogu).",
                "marts/jst.sql",
            ),
            (
                "rkres_meetings_per_year",
                "Posiedzenia RKRES (z katalogu)",
                "liczba posiedzeń",
                "Posiedzenia komitetu w roku (opis z katalogu).",
                "marts/rkres.sql",
            ),
        ],
    )
    con.executemany(
        "INSERT INTO marts.active_pes_by_type VALUES (?, ?, ?, ?)",
        [
            (date(2026, 9, 30), "association", "stowarzyszenia", 990),
            (date(2026, 9, 30), "foundation", "fundacje", 199),
            (date(2026, 9, 30), "cis", "CIS", 33),
            (date(2026, 10, 31), "association", "stowarzyszenia", 1000),
            (date(2026, 10, 31), "foundation", "fundacje", 200),
            (date(2026, 10, 31), "cis", "CIS", 34),
        ],
    )
    con.executemany(
        "INSERT INTO marts.active_pes_by_powiat VALUES (?, ?, ?, ?)",
        [
            (date(2026, 9, 30), "2862", "m. Olsztyn", 690),
            (date(2026, 10, 31), "2862", "m. Olsztyn", 700),
            (date(2026, 10, 31), "2814", "olsztyński", 534),
            (date(2026, 10, 31), "2801", "bartoszycki", 0),
        ],
    )
    validity = (16, date(2018, 1, 1), date(2020, 12, 31))
    con.executemany(
        "INSERT INTO marts.jst_supported_cumulative VALUES (?, ?, ?, ?, ?)",
        [
            (date(2018, 1, 31), 2, *validity),
            (date(2019, 6, 30), 9, *validity),
            (date(2020, 12, 31), 17, *validity),
            (date(2026, 10, 31), 21, None, None, None),
        ],
    )
    con.executemany(
        "INSERT INTO marts.rkres_meetings_per_year VALUES (?, ?, ?)",
        [(2024, 3, 2), (2025, 1, 2), (2026, 1, 2)],
    )
    con.executemany(
        "INSERT INTO marts.source_status VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                "pes_catalogue",
                "Katalog <b>PES</b>",
                "katalog_pes_2026-10-31.csv",
                date(2026, 10, 31),
                1300,
                1290,
                10,
                False,
                None,
            ),
            (
                "social_enterprises",
                "Rejestr przedsiębiorstw społecznych",
                "rejestr_ps_2026-03-15.xlsx",
                date(2026, 3, 15),
                80,
                78,
                2,
                True,
                STALE_REASON,
            ),
        ],
    )


@pytest.fixture(scope="module")
def warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    fill_tiny_marts(con)
    yield con
    con.close()


@pytest.fixture(scope="module")
def page(warehouse: duckdb.DuckDBPyConnection, tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("page") / "dashboard.html"
    written = write_dashboard(warehouse, out, refreshed_at=REFRESHED_AT, data_as_of=DATA_AS_OF)
    assert written == out
    return out.read_text(encoding="utf-8")


class _LinkCollector(HTMLParser):
    """Collects every src/href attribute and <link> tag of the real markup (not script text)."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.link_tags = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.link_tags += tag == "link"
        self.urls += [value or "" for name, value in attrs if name in {"src", "href"}]


# --- the page -----------------------------------------------------------------------------


def test_page_is_polish_utf8(page: str) -> None:
    assert '<html lang="pl">' in page
    assert '<meta charset="utf-8">' in page
    assert "<title>Monitoring ekonomii społecznej – województwo warmińsko-mazurskie</title>" in page


def test_page_states_data_date_and_refresh_time_in_polish(page: str) -> None:
    assert "Dane według stanu na: 31 października 2026" in page
    assert "Odświeżono: 05.11.2026, 14:03" in page


def test_plotly_js_embedded_exactly_once(page: str) -> None:
    assert page.count(get_plotlyjs()[:2000]) == 1
    assert page.count("Plotly.newPlot(") == 4


def test_page_asks_for_nothing_from_the_network(page: str) -> None:
    collector = _LinkCollector()
    collector.feed(page)
    assert collector.link_tags == 0
    assert collector.urls, "expected at least the quarantine link"
    for url in collector.urls:
        assert not re.match(r"^\s*(https?:)?//", url, re.IGNORECASE), url
    assert not re.search(r"<script[^>]*\bsrc=", page, re.IGNORECASE)
    assert "Content-Security-Policy" in page
    assert "@import" not in page


def test_figures_have_fixed_ids_and_polish_locale(page: str) -> None:
    for div_id in (
        "wykres-active-pes-by-type",
        "wykres-active-pes-by-powiat",
        "wykres-jst-supported-cumulative",
        "wykres-rkres-meetings-per-year",
    ):
        assert page.count(f'id="{div_id}"') == 1
    assert "Plotly.register(" in page
    assert "październik" in page
    assert '"locale": "pl"' in page


def test_tiles_show_polish_numbers_units_and_dates(page: str) -> None:
    tiles = page[page.index('class="tiles"') : page.index('class="figure"')]
    assert f'<p class="value">1{NBSP}234</p>' in tiles
    assert "liczba podmiotów – wszystkie typy razem" in tiles
    assert "stan na 31 października 2026" in tiles
    # JST: 21 so far, and 17 >= 16 reached by the end of 2020.
    assert '<p class="value">21</p>' in tiles
    assert "cel: 16 do 31 grudnia 2020" in tiles
    assert "Cel osiągnięty w terminie" in tiles
    # Meetings: 2025 is the latest full year on 31.10.2026, with 1 meeting against 2.
    assert "rok 2025" in tiles
    assert "Poniżej celu" in tiles


def test_catalogue_wording_is_used(page: str) -> None:
    assert "Aktywne PES według typu (z katalogu)" in page
    assert "Posiedzenia komitetu w roku (opis z katalogu)." in page


def test_stale_source_is_marked_with_its_reason(page: str) -> None:
    sources = page[page.index('id="zrodla"') :]
    assert "Źródła danych" in sources
    stale_row = re.search(r'<tr class="stale">(.*?)</tr>', sources, re.DOTALL)
    assert stale_row is not None
    assert "rejestr_ps_2026-03-15.xlsx" in stale_row.group(1)
    assert f"Nieaktualne:</span> {STALE_REASON}" in stale_row.group(1)
    assert sources.count('class="stale"') == 1
    assert "część danych może być nieaktualna (1 z 2 źródeł)" in page


def test_sources_link_the_quarantine_file_relatively(page: str) -> None:
    assert '<a href="kwarantanna.csv">' in page
    assert "W kwarantannie razem: 12" in page
    assert f"1{NBSP}300" in page


def test_register_text_is_escaped(page: str) -> None:
    assert "Katalog &lt;b&gt;PES&lt;/b&gt;" in page
    assert "<b>PES</b>" not in page


def test_same_data_gives_same_bytes(warehouse: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    first = write_dashboard(
        warehouse, tmp_path / "a.html", refreshed_at=REFRESHED_AT, data_as_of=DATA_AS_OF
    )
    second = write_dashboard(
        warehouse, tmp_path / "b" / "a.html", refreshed_at=REFRESHED_AT, data_as_of=DATA_AS_OF
    )
    assert first.read_bytes() == second.read_bytes()
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["a.html", "a.html"]


def test_region_name_comes_from_the_argument(tmp_path: Path) -> None:
    con = duckdb.connect(":memory:")
    fill_tiny_marts(con)
    out = write_dashboard(
        con,
        tmp_path / "d.html",
        refreshed_at=REFRESHED_AT,
        data_as_of=DATA_AS_OF,
        region_name_pl="województwo pomorskie",
    )
    html = out.read_text(encoding="utf-8")
    assert "<title>Monitoring ekonomii społecznej – województwo pomorskie</title>" in html
    assert "warmińsko-mazurskie" not in html


def test_missing_catalogue_row_falls_back_to_default_wording() -> None:
    con = duckdb.connect(":memory:")
    fill_tiny_marts(con)
    con.execute("DELETE FROM marts.indicator_catalogue WHERE indicator = 'rkres_meetings_per_year'")
    texts = indicator_texts(con)
    assert texts["rkres_meetings_per_year"] == FALLBACK_TEXTS["rkres_meetings_per_year"]
    assert texts["jst_supported_cumulative"].title_pl == "JST ze wsparciem (z katalogu)"


def test_page_renders_when_marts_are_empty(tmp_path: Path) -> None:
    con = duckdb.connect(":memory:")
    con.execute(MARTS_DDL)
    html = write_dashboard(
        con, tmp_path / "e.html", refreshed_at=REFRESHED_AT, data_as_of=DATA_AS_OF
    ).read_text(encoding="utf-8")
    assert html.count("Brak danych do pokazania") == 4
    assert "Brak informacji o źródłach" in html


# --- the figures --------------------------------------------------------------------------


def test_powiat_bars_are_sorted_with_the_largest_on_top(warehouse) -> None:
    frame = active_pes_by_powiat_latest(warehouse, DATA_AS_OF)
    figure = active_pes_by_powiat_figure(frame, FALLBACK_TEXTS["active_pes_by_powiat"])
    bars = figure.data[0]
    assert list(bars.y) == ["bartoszycki", "olsztyński", "m. Olsztyn"]  # drawn bottom-up
    assert list(bars.x) == [0, 534, 700]
    assert figure.layout.separators == PLOTLY_SEPARATORS
    assert figure.layout.xaxis.title.text == "Liczba podmiotów"


def test_jst_target_is_drawn_over_its_validity_only(warehouse) -> None:
    frame = jst_supported_cumulative(warehouse, DATA_AS_OF)
    figure = jst_supported_figure(frame, FALLBACK_TEXTS["jst_supported_cumulative"])
    (target,) = [trace for trace in figure.data if trace.name.startswith("Cel")]
    assert list(target.x) == [
        date(2018, 1, 1),
        date(2018, 1, 31),
        date(2019, 6, 30),
        date(2020, 12, 31),
    ]
    assert set(target.y) == {16}


def test_meeting_years_under_target_are_coloured(warehouse) -> None:
    frame = rkres_meetings_per_year(warehouse, DATA_AS_OF)
    figure = rkres_meetings_figure(frame, FALLBACK_TEXTS["rkres_meetings_per_year"], 2025)
    by_name = {trace.name: trace for trace in figure.data}
    assert list(by_name["Poniżej celu"].x) == ["2025"]
    assert by_name["Poniżej celu"].marker.color == VERMILLION
    assert list(by_name["Cel osiągnięty"].x) == ["2024"]
    assert list(by_name["Rok w toku"].x) == ["2026"]
    assert list(by_name["Cel na rok"].y) == [2, 2, 2]


def test_meeting_year_without_meetings_is_under_target() -> None:
    frame = pd.DataFrame({"year": [2025], "meetings": [0], "target": [2]})
    figure = rkres_meetings_figure(frame, FALLBACK_TEXTS["rkres_meetings_per_year"], 2025)
    by_name = {trace.name: trace for trace in figure.data}
    assert list(by_name["Poniżej celu"].y) == [0]
    assert list(by_name["Cel na rok"].customdata[0]) == ["0", "Poniżej celu (cel: 2)"]
    (zero,) = figure.layout.annotations
    assert (zero.x, zero.text, zero.font.color) == (0, "<b>0</b>", VERMILLION)
    tile = rkres_meetings_tile(frame, FALLBACK_TEXTS["rkres_meetings_per_year"], DATA_AS_OF)
    assert (tile.value, tile.target_met, tile.verdict) == ("0", False, "Poniżej celu")


@pytest.mark.parametrize(
    ("data_as_of", "verdict", "met"),
    [
        (date(2020, 6, 30), "Do celu brakuje: 6", None),
        (date(2026, 10, 31), "Cel nieosiągnięty w terminie (osiągnięto 10)", False),
    ],
)
def test_jst_tile_judges_the_target_at_its_deadline(
    data_as_of: date, verdict: str, met: bool | None
) -> None:
    validity = {"target": 16, "target_valid_from": pd.Timestamp("2018-01-01"),
                "target_valid_to": pd.Timestamp("2020-12-31")}  # fmt: skip
    frame = pd.DataFrame(
        [
            {"month": pd.Timestamp("2020-06-30"), "jst_supported": 10, **validity},
            {"month": pd.Timestamp("2021-06-30"), "jst_supported": 18, "target": None,
             "target_valid_from": None, "target_valid_to": None},
        ]
    )  # fmt: skip
    frame = frame[frame["month"] <= pd.Timestamp(data_as_of)]
    tile = jst_supported_tile(frame, FALLBACK_TEXTS["jst_supported_cumulative"], data_as_of)
    assert (tile.verdict, tile.target_met) == (verdict, met)
    assert tile.target == "cel: 16 do 31 grudnia 2020"


# --- formatting ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234567.5, None, f"1{NBSP}234{NBSP}567,5"),
        (1234, None, f"1{NBSP}234"),
        (999, None, "999"),
        (0.25, None, "0,25"),
        (2.0, None, "2"),
        (2.5, 2, "2,50"),
        (-1234.5, 1, f"-1{NBSP}234,5"),
        (None, None, "brak danych"),
        (float("nan"), None, "brak danych"),
    ],
)
def test_format_number_polish(value: float | None, decimals: int | None, expected: str) -> None:
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 10, 31), "31 października 2026"),
        (date(2026, 1, 1), "1 stycznia 2026"),
        (date(2024, 2, 29), "29 lutego 2024"),
    ],
)
def test_format_date_long_uses_the_genitive(day: date, expected: str) -> None:
    assert format_date_long(day) == expected


def test_short_dates_and_times() -> None:
    assert format_date_short(date(2026, 3, 5)) == "05.03.2026"
    assert format_datetime_short(datetime(2026, 11, 5, 9, 7, 59)) == "05.11.2026, 09:07"


@pytest.mark.parametrize(
    ("day", "expected"),
    [(date(2026, 10, 31), 2025), (date(2026, 12, 31), 2026), (date(2027, 1, 1), 2026)],
)
def test_latest_full_year(day: date, expected: int) -> None:
    assert latest_full_year(day) == expected
