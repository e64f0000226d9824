"""Fast tests of the dashboard page and its Polish formatting, on a tiny hand-made warehouse."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml
from plotly.offline import get_plotlyjs

from assets.marts import source_line_pl
from dashboards import write_dashboard
from dashboards.figures import (
    VERMILLION,
    active_pes_by_powiat_figure,
    jst_supported_figure,
    rkres_attendance_figure,
    rkres_meetings_figure,
    social_enterprises_figure,
)
from dashboards.formatting import (
    PLOTLY_SEPARATORS,
    format_date_long,
    format_date_short,
    format_datetime_short,
    format_number,
)
from dashboards.jst_figures import pes_contracts_figure
from dashboards.marts import bundled_text, indicator_rows, indicator_texts
from dashboards.owes_figures import (
    owes_indicators_figure,
    owes_jobs_by_group_figure,
    owes_outputs_by_powiat_figure,
)
from dashboards.participant_figures import participants_figure, participation_figure
from dashboards.sections import DRAWN_INDICATORS, SECTIONS
from dashboards.tables import project_budget_table, study_visits_table
from dashboards.tiles import HEADLINE_CARDS
from quality.disclosure import published_frame as published_frame_of
from tests.declared_warehouse import empty_warehouse

CATALOGUE = yaml.safe_load(
    (Path(__file__).parents[1] / "assets/sql/marts/indicators.yml").read_text("utf-8")
)

NBSP = "\u00a0"
DATA_AS_OF = date(2026, 10, 31)
REFRESHED_AT = datetime(2026, 11, 5, 14, 3, 59)
STALE_REASON = "Plik z 15.03.2026 jest starszy niż 90 dni"

def tiny_marts() -> duckdb.DuckDBPyConnection:
    """Return the real marts (tests/declared_warehouse.py) with a few hand-made rows whose
    right answers are obvious."""
    con = pkd_sections_only()
    con.executemany(
        "INSERT INTO marts.indicator_catalogue (indicator, title_pl, unit_pl, description_pl, "
        "sql_path, persons_counts, persons_counts_from, source_pl) "
        "VALUES (?, ?, ?, ?, ?, '{}', NULL, ?)",
        [
            (
                "active_pes_by_type",
                "Aktywne PES według typu (z katalogu)",
                "liczba podmiotów",
                "Podmioty działające na koniec miesiąca (opis z katalogu).",
                "marts/active_pes_by_type.sql",
                "katalog PES ROPS, KRS",
            ),
            (
                "active_pes_by_powiat",
                "Aktywne PES w powiatach (z katalogu)",
                "liczba podmiotów",
                "Podmioty działające w powiecie (opis z katalogu).",
                "marts/by_powiat.sql",
                None,
            ),
            (
                "jst_supported_cumulative",
                "JST ze wsparciem (z katalogu)",
                "liczba JST",
                "Różne samorządy wsparte od 2018 r. (opis z katalogu).",
                "marts/jst.sql",
                None,
            ),
            (
                "rkres_meetings_per_year",
                "Posiedzenia RKRES (z katalogu)",
                "liczba posiedzeń",
                "Posiedzenia komitetu w roku (opis z katalogu).",
                "marts/rkres.sql",
                "dziennik działań projektu",
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
        "INSERT INTO marts.jst_supported_cumulative VALUES (?, ?, ?, ?, ?, ?)",
        [
            (date(2018, 1, 31), 2, *validity, "w trakcie"),
            (date(2019, 6, 30), 9, *validity, "w trakcie"),
            (date(2020, 12, 31), 17, *validity, "osiągnięty"),
            (date(2026, 10, 31), 21, None, None, None, None),
        ],
    )
    con.executemany(
        "INSERT INTO marts.rkres_meetings_per_year VALUES (?, ?, ?, ?)",
        [(2024, 3, 2, "osiągnięty"), (2025, 1, 2, "nieosiągnięty"), (2026, 1, 2, "w trakcie")],
    )
    con.executemany(
        "INSERT INTO marts.source_status VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        [
            (
                "pes_catalogue",
                "Katalog <b>PES</b>",
                "katalog_pes_2026-10-31.csv",
                date(2026, 10, 31),
                datetime(2026, 11, 4, 9, 15),
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
                datetime(2026, 3, 16, 8, 0),
                80,
                78,
                2,
                True,
                STALE_REASON,
            ),
            # three extracts of one source, named without a date, received on two days
            *[
                ("krs_entity", "Odpisy z KRS", f"odpis_aktualny_000000000{n}.json", None,
                 datetime(2026, 11, day, 7, 30), 1, 1, 0, False, None)
                for n, day in ((1, 3), (2, 5), (3, 5))
            ],
        ],
    )
    fill_activity_marts(con)
    # The person-count columns as the catalogue states them, for the marts that have them.
    con.executemany(
        "INSERT INTO marts.indicator_catalogue (indicator, title_pl, unit_pl, description_pl, "
        "sql_path, persons_counts, persons_counts_from, source_pl) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(name, entry["title_pl"], entry["unit_pl"], entry["description_pl"],
          f"assets/sql/marts/{name}.sql", json.dumps(entry.get("persons_counts", {})),
          json.dumps(entry["persons_counts_from"]) if "persons_counts_from" in entry else None,
          entry.get("source_pl") or source_line_pl(entry["depends_on"]))
         for name, entry in CATALOGUE.items()
         if "persons_counts" in entry or "persons_counts_from" in entry],
    )  # fmt: skip
    return con


def pkd_sections_only() -> duckdb.DuckDBPyConnection:
    """Return the real marts, empty but for three PKD sections at 31.10.2026."""
    con = empty_warehouse()
    con.executemany(
        "INSERT INTO marts.active_pes_by_pkd_section VALUES (?, ?, ?, ?)",
        [(date(2026, 10, 31), "I",
          "Działalność związana z zakwaterowaniem i usługami gastronomicznymi", 12),
         (date(2026, 10, 31), "A", "Rolnictwo, leśnictwo, łowiectwo i rybactwo", 0),
         (date(2026, 10, 31), "-", "bez przeważającej działalności w KRS", 1222)],
    )
    return con


def fill_activity_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Fill the marts of the sections beyond the headline four; the working of every expected
    number is in the test that checks it. Rows dated after 31.10.2026 must never be drawn."""
    rows = {
        "social_enterprises_active": [
            (date(2026, 9, 30), 4), (date(2026, 10, 31), 5), (date(2026, 11, 30), 6)],
        "rkres_attendance_by_sector": [
            (date(2026, 3, 10), 2026, 1, "present_public", "administracja publiczna", 5),
            (date(2026, 3, 10), 2026, 1, "present_pes", "podmioty ekonomii społecznej", 3),
            (date(2026, 11, 15), 2026, 2, "present_public", "administracja publiczna", 9)],
        "jst_social_clauses_cumulative": [(date(2026, 10, 31), 3, 1)],
        "pes_contracts_per_year": [
            (2025, "public_task_commission", "zadania publiczne zlecone PES", 1, 1, 50000),
            (2025, "social_clause_contract", "zamówienia z klauzulami społecznymi", 2, 3,
             1234567.89),
            (2026, "public_task_commission", "zadania publiczne zlecone PES", 1, 2, 10000.5),
            (2026, "social_clause_contract", "zamówienia z klauzulami społecznymi", 0, 0, 0)],
        "participants_new_by_quarter": [
            (date(2026, 7, 1), "2026-Q3", 2026, "K", "kobiety", "jst", "JST", 3, 6),
            (date(2026, 7, 1), "2026-Q3", 2026, "M", "mężczyźni", "jst", "JST", 2, 6),
            (date(2026, 7, 1), "2026-Q3", 2026, "K", "kobiety", "pes", "PES", 1, 6),
            (date(2026, 7, 1), "2026-Q3", 2026, "M", "mężczyźni", "pes", "PES", 0, 6),
            (date(2026, 10, 1), "2026-Q4", 2026, "K", "kobiety", "jst", "JST", 0, 12),
            (date(2026, 10, 1), "2026-Q4", 2026, "M", "mężczyźni", "jst", "JST", 4, 12),
            (date(2026, 10, 1), "2026-Q4", 2026, "K", "kobiety", "pes", "PES", 2, 12),
            (date(2026, 10, 1), "2026-Q4", 2026, "M", "mężczyźni", "pes", "PES", 0, 12),
            (date(2027, 1, 1), "2027-Q1", 2027, "K", "kobiety", "jst", "JST", 50, 62)],
        "participation_by_quarter": [
            (date(2026, 7, 1), "2026-Q3", 2026, 10, 2, 1, 1, 6, 6),
            (date(2026, 10, 1), "2026-Q4", 2026, 5, 0, 0, 0, 6, 12)],
        "institutions_supported_by_quarter": [
            (date(2026, 7, 1), "2026-Q3", 2026, "jst", "JST", 2),
            (date(2026, 10, 1), "2026-Q4", 2026, "jst", "JST", 1)],
        "owes_indicators_by_quarter": [
            (date(2026, 4, 1), "2026-Q2", 2026, "OWES-1", "OWES Elbląg", "subregion elbląski",
             "owes_jobs_created", "Miejsca pracy", 3, True, 1, "a.xlsx"),
            (date(2026, 4, 1), "2026-Q2", 2026, "OWES-2", "OWES Olsztyn",
             "subregion olsztyński", "owes_jobs_created", "Miejsca pracy", 2, False, 1, "b.xlsx"),
            (date(2026, 7, 1), "2026-Q3", 2026, "OWES-1", "OWES Elbląg", "subregion elbląski",
             "owes_jobs_created", "Miejsca pracy", 1, True, 1, "c.xlsx")],
        "owes_outputs_by_powiat": [
            (date(2026, 4, 1), "2026-Q2", 2026, "2862", "m. Olsztyn", "subregion olsztyński",
             9, 1),
            (date(2026, 7, 1), "2026-Q3", 2026, "2862", "m. Olsztyn", "subregion olsztyński",
             2, 0),
            (date(2026, 7, 1), "2026-Q3", 2026, None, "powiat nieustalony", None, 3, 1),
            (date(2026, 7, 1), "2026-Q3", 2026, "2801", "bartoszycki", "subregion olsztyński",
             4, 2)],
        "owes_jobs_by_group": [
            (date(2026, 4, 1), "2026-Q2", 2026, "OWES-1", "unemployed", "osoba bezrobotna",
             "employment_contract", "umowa o pracę", 2),
            (date(2026, 7, 1), "2026-Q3", 2026, "OWES-2", "unemployed", "osoba bezrobotna",
             "employment_contract", "umowa o pracę", 1),
            (date(2026, 7, 1), "2026-Q3", 2026, "OWES-1", "homeless", "osoba bezdomna",
             "civil_contract", "umowa cywilnoprawna", 1),
            (date(2026, 7, 1), "2026-Q3", 2026, "OWES-1", "unemployed", "osoba bezrobotna",
             "civil_contract", "umowa cywilnoprawna", 1)],
        "project_events_per_year": [(2026, "training", "szkolenie", 2, 30, 25, 1)],
        "prosocial_certificates_by_month": [(date(2026, 9, 30), 2, 1, 0),
                                            (date(2026, 10, 31), 1, 0, 1)],
        "study_visits_per_year": [
            (2024, "Włochy", 1, 13, 1, "osiągnięty"), (2025, "Austria", 0, 0, 1, "nieosiągnięty"),
            (2025, "Polska", 1, 17, None, None), (2026, "Hiszpania", 0, 0, 1, "w trakcie")],
        "project_budget": [
            ("ogółem", 2158612.28, 1.0, date(2018, 1, 1), date(2020, 12, 31), "opis"),
            ("wkład UE", 1834820.43, 0.85, date(2018, 1, 1), date(2020, 12, 31), "opis")],
        # as marts.headline_cards reads the marts above (test_headline_cards.py tests its SQL)
        "headline_cards": [
            ("active_pes", None, date(2026, 10, 31), 1234, None, None, None, None, None, None),
            ("jobs_created", None, date(2026, 9, 30), 5, None, None, None, None, None, None),
            ("jst_supported", None, date(2026, 10, 31), 21, 17, 16, date(2018, 1, 1),
             date(2020, 12, 31), None, "osiągnięty"),
            ("project_budget", None, None, 2158612.28, None, None, date(2018, 1, 1),
             date(2020, 12, 31), 1.0, None),
            ("project_budget", "wkład UE", None, 1834820.43, None, None, date(2018, 1, 1),
             date(2020, 12, 31), 0.85, None),
            ("rkres_meetings", None, date(2025, 12, 31), 1, None, 2, date(2024, 1, 1),
             date(2026, 12, 31), None, "nieosiągnięty"),
            ("rkres_meetings", "2024", date(2024, 12, 31), 3, None, 2, date(2024, 1, 1),
             date(2024, 12, 31), None, "osiągnięty"),
            ("rkres_meetings", "2025", date(2025, 12, 31), 1, None, 2, date(2025, 1, 1),
             date(2025, 12, 31), None, "nieosiągnięty"),
            ("social_enterprises", None, date(2026, 10, 31), 5, None, None, None, None, None,
             None),
            ("study_visits", None, date(2026, 10, 31), 1, None, 3, date(2024, 1, 1),
             date(2026, 12, 31), None, "nieosiągnięty"),
            ("study_visits", "Włochy 2024", date(2024, 12, 31), 1, None, 1, date(2024, 1, 1),
             date(2024, 12, 31), None, "osiągnięty")],
    }  # fmt: skip
    for table, values in rows.items():
        marks = ", ".join("?" * len(values[0]))
        con.executemany(f"INSERT INTO marts.{table} VALUES ({marks})", values)


@pytest.fixture(scope="module")
def warehouse() -> duckdb.DuckDBPyConnection:
    con = tiny_marts()
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
    # 20 indicators: 18 figures and 2 tables (study visits, budget).
    assert page.count("Plotly.newPlot(") == 18


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


def test_cards_show_every_target_and_the_sector(page: str) -> None:
    cards = page[page.index('class="tiles"') : page.index('class="contents"')]
    titles = re.findall(r"<h2>([^<]+)</h2>", cards)
    assert titles == [
        "Posiedzenia RKRES", "JST objęte wsparciem eksperckim", "Wizyty studyjne za granicą",
        "Budżet projektu", "Aktywne podmioty ekonomii społecznej", "Przedsiębiorstwa społeczne",
        "Miejsca pracy w przedsiębiorstwach społecznych"]  # fmt: skip
    jst = cards[cards.index('id="karta-jst-supported"') :]
    jst = jst[: jst.index("</article>")]
    # 21 today, 17 at the deadline, the mart's verdict in words and colour
    assert 'class="tile met"' in cards[cards.index("karta-jst") - 40 : cards.index("karta-jst")]
    assert '<p class="value">21</p>' in jst
    assert "w terminie celu (31 grudnia 2020): 17" in jst
    assert "cel: 16 do 31 grudnia 2020" in jst
    assert "✔ Cel osiągnięty" in jst
    assert "stan na 31 października 2026" in jst
    assert "Zmiana: pierwsza publikacja" in jst
    assert f'<p class="value">1{NBSP}234</p>' in cards
    assert f'<p class="value money">2{NBSP}158{NBSP}612,28 zł</p>' in cards
    assert f"w tym wkład UE: 1{NBSP}834{NBSP}820,43 zł (85{NBSP}%)" in cards
    assert "2025: 1 – ✖ nieosiągnięty" in cards
    assert "Włochy 2024: 1 – ✔ osiągnięty" in cards
    assert "stan na 30 września 2026" in cards  # the jobs: the last OWES quarter
    assert cards.count("Bez celu do oceny") == 3  # the sector's three
    assert "Bez oceny: dane nie obejmują wydatków projektu" in cards
    assert re.findall(r'<h2 class="tiles-heading"[^>]*>([^<]+)</h2>', page) == [
        "Cele projektu", "Stan sektora"]


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
    assert "część danych może być nieaktualna (1 z 3 źródeł)" in page


def test_sources_are_one_line_each_with_date_receipt_and_files(page: str) -> None:
    sources = page[page.index('id="zrodla"') :]
    rows = re.findall(r"<tr(?: class=\"stale\")?>\s*<td>(.*?)</tr>", sources, re.DOTALL)
    assert len(rows) == 3  # five files of three sources
    stale, catalogue, krs = rows  # the stale source first
    assert stale.startswith("Rejestr przedsiębiorstw społecznych")
    assert "<td>16.03.2026, 08:00</td>" in stale
    assert "<td>31.10.2026</td>" in catalogue and "<td>04.11.2026, 09:15</td>" in catalogue
    # the newest receipt of the three extracts, their count, no date to state, and still fresh
    assert "<td>brak daty w nazwie pliku</td>" in krs and "<td>05.11.2026, 07:30</td>" in krs
    assert '<a href="raport_jakosci.html#pliki-krs-entity">3 pliki</a>' in krs
    assert "odpis_aktualny" not in sources
    assert "<td class=\"num\">3</td>" in krs and "aktualne" in krs


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
    con = tiny_marts()
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
    con = tiny_marts()
    con.execute("DELETE FROM marts.indicator_catalogue WHERE indicator = 'rkres_meetings_per_year'")
    texts = indicator_texts(con, DRAWN_INDICATORS)
    assert texts["rkres_meetings_per_year"] == bundled_text("rkres_meetings_per_year")
    # the wording of indicators.yml as this code carries it
    assert texts["rkres_meetings_per_year"].title_pl == (
        "Posiedzenia Regionalnego Komitetu Rozwoju Ekonomii Społecznej")
    assert texts["jst_supported_cumulative"].title_pl == "JST ze wsparciem (z katalogu)"


def test_page_renders_when_marts_are_empty(tmp_path: Path) -> None:
    con = pkd_sections_only()
    html = write_dashboard(
        con, tmp_path / "e.html", refreshed_at=REFRESHED_AT, data_as_of=DATA_AS_OF
    ).read_text(encoding="utf-8")
    # Every one of the 17 figures and 2 tables says so; none draws a zero.
    assert html.count("Brak danych do pokazania") == 19
    assert "Brak informacji o źródłach" in html


# --- the figures --------------------------------------------------------------------------


def test_powiat_bars_are_sorted_with_the_largest_on_top(warehouse) -> None:
    frame = indicator_rows(warehouse, "active_pes_by_powiat", DATA_AS_OF)
    figure = active_pes_by_powiat_figure(frame, text_of(warehouse, "active_pes_by_powiat"),
                                         DATA_AS_OF)
    bars = figure.data[0]
    assert list(bars.y) == ["bartoszycki", "olsztyński", "m. Olsztyn"]  # drawn bottom-up
    assert list(bars.x) == [0, 534, 700]
    assert figure.layout.separators == PLOTLY_SEPARATORS
    assert figure.layout.xaxis.title.text == "Liczba podmiotów"


def test_jst_target_is_drawn_over_its_validity_only(warehouse) -> None:
    frame = indicator_rows(warehouse, "jst_supported_cumulative", DATA_AS_OF)
    figure = jst_supported_figure(frame, text_of(warehouse, "jst_supported_cumulative"),
                                  DATA_AS_OF)
    (target,) = [trace for trace in figure.data if trace.name.startswith("Cel")]
    assert list(target.x) == [
        date(2018, 1, 1),
        date(2018, 1, 31),
        date(2019, 6, 30),
        date(2020, 12, 31),
    ]
    assert set(target.y) == {16}


def test_meeting_years_under_target_are_coloured(warehouse) -> None:
    frame = indicator_rows(warehouse, "rkres_meetings_per_year", DATA_AS_OF)
    figure = rkres_meetings_figure(frame, text_of(warehouse, "rkres_meetings_per_year"),
                                   DATA_AS_OF)
    by_name = {trace.name: trace for trace in figure.data}
    assert list(by_name["Poniżej celu"].x) == ["2025"]
    assert by_name["Poniżej celu"].marker.color == VERMILLION
    assert list(by_name["Cel osiągnięty"].x) == ["2024"]
    assert list(by_name["Rok w toku"].x) == ["2026"]
    assert list(by_name["Cel na rok"].y) == [2, 2, 2]


def test_meeting_year_without_meetings_is_under_target() -> None:
    frame = pd.DataFrame({"year": [2025], "meetings": [0], "target": [2],
                          "target_status": ["nieosiągnięty"]})
    figure = rkres_meetings_figure(frame, bundled_text("rkres_meetings_per_year"), DATA_AS_OF)
    by_name = {trace.name: trace for trace in figure.data}
    assert list(by_name["Poniżej celu"].y) == [0]
    assert list(by_name["Cel na rok"].customdata[0]) == ["0", "Poniżej celu (cel: 2)"]
    (zero,) = figure.layout.annotations
    assert (zero.x, zero.text, zero.font.color) == (0, "<b>0</b>", VERMILLION)


# --- the sections beyond the headline four -------------------------------------------------


def text_of(warehouse: duckdb.DuckDBPyConnection, indicator: str):
    return indicator_texts(warehouse, [indicator])[indicator]


def drawn(warehouse: duckdb.DuckDBPyConnection, indicator: str, figure_of, min_persons=3):
    """The figure of ``indicator`` drawn from the tiny warehouse as of 31.10.2026, from the
    rows as published (small counts of persons hidden), as the page draws it."""
    frame = published_frame(warehouse, indicator, min_persons)
    return figure_of(frame, text_of(warehouse, indicator), DATA_AS_OF)


def published_frame(warehouse: duckdb.DuckDBPyConnection, indicator: str, min_persons=3):
    frame = indicator_rows(warehouse, indicator, DATA_AS_OF)
    return published_frame_of(warehouse, indicator, frame, min_persons)


def test_every_computed_indicator_is_on_the_page() -> None:
    catalogue = yaml.safe_load(
        (Path(__file__).parents[1] / "assets/sql/marts/indicators.yml").read_text("utf-8")
    )
    # every indicator has its figure, and the cards theirs at the top of the page
    assert sorted([*DRAWN_INDICATORS, HEADLINE_CARDS]) == sorted(catalogue)
    assert len(DRAWN_INDICATORS) == len(set(DRAWN_INDICATORS)) == 20
    assert [section.title_pl for section in SECTIONS] == [
        "Stan sektora", "Posiedzenia RKRES", "Wsparcie JST", "Uczestnicy i OWES", "Projekt",
    ]  # fmt: skip


def test_sections_appear_in_order_each_with_its_figures(page: str) -> None:
    headings = re.findall(r'<h2 class="section-title"[^>]*>([^<]+)</h2>', page)
    assert headings == [section.title_pl for section in SECTIONS]
    body = page[page.index('class="section-title"') :]
    positions = [body.index(f'id="wykres-{name.replace("_", "-")}"') for name in DRAWN_INDICATORS
                 if name not in {"study_visits_per_year", "project_budget"}]  # fmt: skip
    assert positions == sorted(positions)


def test_rows_after_the_as_of_date_are_not_drawn(warehouse) -> None:
    # Social enterprises: 4 (30.09), 5 (31.10); 6 at 30.11.2026 is after the as-of date.
    figure = drawn(warehouse, "social_enterprises_active", social_enterprises_figure)
    assert list(figure.data[0].y) == [4, 5]
    assert figure.layout.title.subtitle.text == "Stan na 31 października 2026"
    # RKRES attendance: meeting 2 (15.11.2026) is after it; meeting 1 had 5 + 3 = 8 present.
    figure = drawn(warehouse, "rkres_attendance_by_sector", rkres_attendance_figure)
    assert {tuple(trace.x) for trace in figure.data} == {("nr 1<br>10.03.2026",)}
    assert [(trace.name, list(trace.y), list(trace.customdata)) for trace in figure.data] == [
        ("administracja publiczna", [5], ["8"]),
        ("podmioty ekonomii społecznej", [3], ["8"]),
    ]


def test_participants_add_sexes_per_institution_type(warehouse) -> None:
    """III kw. 2026: JST 3 women + 2 men = 5, PES 1 + 0 = 1; IV kw.: JST 0 + 4 = 4, PES 2 + 0
    = 2. Women 3 + 1 + 0 + 2 = 6, men 2 + 0 + 4 + 0 = 6, persons 12. The 50 of I kw. 2027 are
    after the as-of date; the quarter ends 31.12.2026, after 31.10.2026, so the data date is
    the as-of date.

    Hidden (N = 3): the 2 men and 1 woman (PES) of III kw., the 2 women (PES) of IV kw., and
    the PES bars 1 and 2 ("<3"). The quarters' totals 6 and 6 are shown, so a shown JST bar
    would give the PES bar back (6 - 5 = 1, 6 - 4 = 2): both JST bars are hidden ("ukryto"),
    and the cells with them, until no hidden cell is pinned (tests/disclosure_audit.py).
    Every band is then a cross; totals by sex 6 and 6, all 12: shown (>= 3)."""
    figure = drawn(warehouse, "participants_new_by_quarter", participants_figure)
    by_name = {trace.name: trace for trace in figure.data}
    assert list(by_name["JST"].x) == ["III kw. 2026", "IV kw. 2026"]
    for quarter in ("III kw. 2026", "IV kw. 2026"):
        assert_marked(figure, "JST", quarter, "ukryto")
        assert_marked(figure, "PES", quarter, "<3")
    crosses = by_name["Liczba osób ukryta"]
    assert list(crosses.x) == ["III kw. 2026", "IV kw. 2026"]
    assert list(crosses.y) == [0, 0]
    assert [text.split("<br>")[0].split(" (")[0] for text in crosses.customdata] == [
        "JST: ukryto", "JST: ukryto"]
    assert [text.split("<br>")[1].split(" (")[0] for text in crosses.customdata] == [
        "PES: <3", "PES: <3"]
    assert figure.layout.title.subtitle.text == (
        "Razem osób: 12 (kobiety: 6, mężczyźni: 6); stan na 31 października 2026"
    )


def test_participant_totals_under_the_threshold_are_hidden(warehouse) -> None:
    """With N = 7 every cell (at most 4) is hidden and so are the totals of 6 women and 6
    men ("<7"). Women and men each at most 6 and 12 in all would say 6 and 6, and the 12 is
    also the running total of IV kw. (6 + 6, each quarter "<7"): the 12 is hidden and the
    women's total reads "ukryto", so it says nothing of its size. The bars: JST 5 and 4 (both
    under 7), PES 1 and 2."""
    figure = drawn(warehouse, "participants_new_by_quarter", participants_figure, min_persons=7)
    assert_marked(figure, "JST", "III kw. 2026", "<7")
    assert_marked(figure, "JST", "IV kw. 2026", "<7")
    assert figure.layout.title.subtitle.text.startswith(
        "Razem osób: ukryto (kobiety: ukryto, mężczyźni: <7);"
    )


def test_participation_shows_unidentified_apart_and_the_total_persons(warehouse) -> None:
    # New persons and persons so far as participants_new_by_quarter publishes them: the
    # quarters' 6 and 6 (shown there), running 6 and 12, and 12 in all.
    figure = drawn(warehouse, "participation_by_quarter", participation_figure)
    by_name = {trace.name: trace for trace in figure.data}
    assert list(by_name["Obecności niezidentyfikowane (brak PESEL)"].y) == [2, 0]
    assert list(by_name["Obecności osób zidentyfikowanych"].y) == [10, 5]
    assert list(by_name["Nowe osoby w kwartale"].y) == [6, 6]
    assert figure.layout.title.subtitle.text.startswith("Uczestników łącznie (osoby): 12;")


def test_owes_value_disagreeing_with_its_detail_sheet_is_hatched(warehouse) -> None:
    figure = drawn(warehouse, "owes_indicators_by_quarter", owes_indicators_figure)
    by_name = {trace.name: trace for trace in figure.data}
    # OWES Olsztyn reported 2 jobs in II kw. 2026, disputed, and no report for III kw.: the 2
    # jobs (persons hired) are under 3, so hidden, the hatch and the hover kept.
    olsztyn = by_name["OWES Olsztyn"]
    assert list(olsztyn.x) == ["II kw. 2026", "III kw. 2026"]
    assert olsztyn.y[1] is None  # no report: no value, nothing to mark
    assert list(olsztyn.marker.pattern.shape) == ["x", ""]
    assert olsztyn.customdata[0] == "<3 – niezgodna z arkuszem szczegółowym"
    assert_marked(figure, "OWES Olsztyn", "II kw. 2026", "<3")
    # OWES Elbląg: 3 jobs shown, 1 hidden.
    assert by_name["OWES Elbląg"].y[0] == 3
    assert by_name["OWES Elbląg"].customdata[0] == "3"
    assert_marked(figure, "OWES Elbląg", "III kw. 2026", "<3")
    assert list(by_name["OWES Elbląg"].marker.pattern.shape) == ["", ""]


def test_owes_outputs_by_powiat_show_the_latest_quarter_only(warehouse) -> None:
    # III kw. 2026 only (m. Olsztyn's 9 of II kw. is not added): 2, 3, 4 entities, bottom-up.
    figure = drawn(warehouse, "owes_outputs_by_powiat", owes_outputs_by_powiat_figure)
    by_name = {trace.name: trace for trace in figure.data}
    entities = by_name["Podmioty objęte wsparciem"]
    assert list(entities.y) == [
        "m. Olsztyn (olsztyński)", "powiat nieustalony", "bartoszycki (olsztyński)"]  # fmt: skip
    assert list(entities.x) == [2, 3, 4]
    # Jobs (persons hired) 0, 1, 2: the 1 and the 2 are hidden, 0 stays.
    jobs = by_name["Miejsca pracy utworzone"]
    assert list(jobs.text) == ["0", "<3", "<3"]
    assert_marked(figure, "Miejsca pracy utworzone", "powiat nieustalony", "<3")
    assert_marked(figure, "Miejsca pracy utworzone", "bartoszycki (olsztyński)", "<3")
    assert list(by_name["Liczba osób ukryta"].y) == ["powiat nieustalony",
                                                     "bartoszycki (olsztyński)"]
    assert figure.layout.title.subtitle.text.startswith("III kw. 2026")


def test_owes_jobs_add_up_over_quarters_by_group(warehouse) -> None:
    """Unemployed: employment contract 2 + 1 = 3, civil 1; homeless: civil 1. Every row
    (2, 1, 1, 1) is under 3 and hidden; the bars are the totals of each group and contract
    over the quarters, and the jobs card shows all 5: the two 1s are hidden ("<3"), and so
    is the 3 ("ukryto"), which with the 5 would give them back (5 - 3 = 2: two 1s). The
    homeless have no employment contract: 0, shown. Ordered by what is shown (0 and 0)."""
    figure = drawn(warehouse, "owes_jobs_by_group", owes_jobs_by_group_figure)
    by_name = {trace.name: trace for trace in figure.data}
    assert list(by_name["umowa cywilnoprawna"].y) == ["osoba bezdomna", "osoba bezrobotna"]
    assert list(by_name["umowa cywilnoprawna"].customdata) == ["<3", "<3"]
    assert list(by_name["umowa o pracę"].customdata) == ["0", "ukryto"]
    assert_marked(figure, "umowa cywilnoprawna", "osoba bezdomna", "<3")
    assert_marked(figure, "umowa cywilnoprawna", "osoba bezrobotna", "<3")
    assert_marked(figure, "umowa o pracę", "osoba bezrobotna", "ukryto")
    assert list(by_name["Liczba osób ukryta"].customdata) == [
        "umowa cywilnoprawna: <3", "umowa cywilnoprawna: <3<br>umowa o pracę: ukryto"]
    assert list(by_name["Liczba osób ukryta"].text) == ["<3", "<3 ukryto"]


def assert_marked(figure, name: str, place: str, marker: str) -> None:
    """A hidden count in the trace ``name`` at ``place`` (a category of its axis): its marker
    in that trace's hover (customdata) or text, no height, and a cross at the same place
    with the marker written beside it, so it is never a bar of 0 without a mark."""
    (trace,) = [t for t in figure.data if t.name == name]
    horizontal = trace.orientation == "h"
    places = list(trace.y if horizontal else trace.x)
    at = places.index(place)
    said = [trace.customdata[at] if trace.customdata is not None else "",
            trace.text[at] if trace.text is not None else ""]
    assert any(marker in str(value) for value in said), (name, place, said)
    height = (trace.x if horizontal else trace.y)[at]
    assert height in (0, None), (name, place, height)
    crosses = [(list(t.y if horizontal else t.x), t) for t in figure.data
               if t.name == "Liczba osób ukryta"]
    assert any(marker in cross.text[at] and marker in cross.customdata[at]
               for at, cross in ((p.index(place), c) for p, c in crosses if place in p)), (
        name, place, "no cross marked", marker)


def test_contracts_value_in_zloty_with_counts_in_the_hover(warehouse) -> None:
    figure = drawn(warehouse, "pes_contracts_per_year", pes_contracts_figure)
    by_name = {trace.name: trace for trace in figure.data}
    clauses = by_name["Zamówienia z klauzulami społecznymi"]
    assert list(clauses.x) == ["2025", "2026"]
    assert list(clauses.y) == [1234567.89, 0]
    assert [list(row) for row in clauses.customdata] == [["3", "2"], ["0", "0"]]
    assert "%{y:,.2f} zł" in clauses.hovertemplate
    assert figure.layout.separators == PLOTLY_SEPARATORS


def test_study_visits_are_judged_against_the_plan(warehouse) -> None:
    frame = indicator_rows(warehouse, "study_visits_per_year", DATA_AS_OF)
    table = study_visits_table(frame, text_of(warehouse, "study_visits_per_year"), DATA_AS_OF)
    assert [row[5] for row in table.rows] == [
        "✔ zgodnie z planem",  # 2024: 1 visit of 1 planned
        "✖ nie zrealizowano planu",  # 2025 has ended with 0 of 1
        "wizyta spoza planu projektu",  # Poland was never planned
        "rok w toku",  # 2026 goes on after 31.10.2026
    ]
    assert table.rows[2][4] == "poza planem"


def test_budget_table_is_written_in_polish(warehouse) -> None:
    frame = indicator_rows(warehouse, "project_budget", DATA_AS_OF)
    table = project_budget_table(frame, text_of(warehouse, "project_budget"), DATA_AS_OF)
    assert table.rows == (
        ("Wartość projektu ogółem", f"2{NBSP}158{NBSP}612,28 zł", f"100{NBSP}%",
         "01.01.2018–31.12.2020"),
        ("Wkład UE", f"1{NBSP}834{NBSP}820,43 zł", f"85{NBSP}%", "01.01.2018–31.12.2020"),
    )  # fmt: skip


def test_tables_are_on_the_page(page: str) -> None:
    assert "✖ nie zrealizowano planu" in page
    assert f'<td class="num">2{NBSP}158{NBSP}612,28 zł</td>' in page


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


def test_quality_report_opens_with_a_summary_and_groups_files_by_source(refreshed) -> None:
    """The published report: its summary and contents come before any table, and its files
    are listed under their source, folded, one group per source."""
    report = (refreshed.publish / "raport_jakosci.html").read_text(encoding="utf-8")
    files = refreshed.query("select source, file_name from marts.source_status")
    assert report.index('id="podsumowanie"') < report.index('id="spis-tresci"') < report.index(
        "<table")
    groups = re.findall(r'<details class="files" id="pliki-([a-z-]+)"( open)?>(.*?)</details>',
                        report, re.DOTALL)
    assert sorted(g[0] for g in groups) == sorted(
        s.replace("_", "-") for s in files["source"].unique())
    assert not any(opened for _, opened, _ in groups)  # no stale source: all folded
    by_source = {source: body for source, _, body in groups}
    for row in files.itertuples():
        assert f"<td>{row.file_name}</td>" in by_source[row.source.replace("_", "-")]


def test_each_figure_states_its_own_date_and_its_source_in_polish(page: str) -> None:
    """The date from the figure's rows: active PES to 31.10.2026; the OWES jobs to the end of
    III kw. 2026 (30.09); RKRES attendance to its last meeting drawn (10.03.2026); the budget,
    from the project's description, none. The source is the catalogue's, never a path."""
    def line(indicator: str) -> str:
        block = page[page.index(f'id="sekcja-wykres-{indicator.replace("_", "-")}"'):]
        block = block[: block.index("</section>")]
        found = re.search(r'<p class="provenance">([^<]*)</p>', block)
        return found.group(1) if found else ""

    assert line("active_pes_by_type") == (
        "Stan na 31 października 2026. Źródło: katalog PES ROPS, KRS.")
    assert line("owes_jobs_by_group") == (
        "Stan na 30 września 2026. Źródło: sprawozdania kwartalne OWES.")
    assert line("rkres_attendance_by_sector").startswith("Stan na 10 marca 2026.")
    assert "Stan na" not in line("project_budget")
    assert "assets/sql" not in page[page.index("<main>"):]
