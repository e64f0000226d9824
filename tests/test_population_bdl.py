"""The BDL population client against a stand-in of the API on 127.0.0.1.

The stand-in answers in the API's documented shape (data/reference/population/SOURCES.md):
- `/units?level=N`: the paging envelope `{totalRecords, page, pageSize, links, results}` around
  unit elements shaped as the `list_units` elements of pyldb_sample_raw_units.json (`id`,
  `name`, `parentId`, `level`, `kind`, `hasDescription`);
- `/data/by-variable/<id>?unit-level=N&year=Y`: the envelope `{totalRecords, page, pageSize,
  links, variableId, measureUnitId, aggregateId, lastUpdate, results}` (SingleVariableData),
  its results shaped as the `get_data_by_variable` elements of pyldb_sample_raw_data.json
  (`id`, `name`, `values: [{year, val, attrId}]`).
Unit ids follow the id layout of SOURCES.md (WOJ at 2:4, POW at 7:9, GMI+RODZ at 9:12).
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from pipelines.cli import main
from sources.population import BDL_UNITS_FILE, POPULATION_FILE, read_population_wide
from sources.population_bdl import BdlSettings, PopulationRefreshError, refresh_population

REFERENCE = Path(__file__).resolve().parents[1] / "data" / "reference"

# Olsztyn (city with powiat rights) and two gminas of powiat olsztyński; Barczewo has its town
# (kind 4) and rural area (5) listed too, as BDL does: they must not count twice.
UNITS = {
    5: [("042815162000", "Powiat m. Olsztyn", "2862"),
        ("042815114000", "Powiat olsztyński", "2814")],
    6: [("042815162011", "Olsztyn", "2862011"),
        ("042815114013", "Barczewo", "2814013"),
        ("042815114014", "Barczewo - miasto", "2814014"),
        ("042815114015", "Barczewo - obszar wiejski", "2814015"),
        ("042815114042", "Dywity", "2814042")],
}
# year -> BDL id -> total population (made up for the test)
VALUES = {
    2020: {"042815162000": 171_000, "042815114000": 127_000, "042815162011": 171_000,
           "042815114013": 18_100, "042815114014": 7_400, "042815114015": 10_700,
           "042815114042": 12_300},
}


class Faults:
    """Scripted misbehaviour per path: a list of "500" or "slow" served before normal answers
    ("always500" fails every time)."""

    def __init__(self) -> None:
        self.by_path: dict[str, list[str]] = {}
        self.log: list[tuple[str, dict[str, list[str]], str]] = []


def envelope(results: list[dict], query: dict[str, list[str]], extra: dict) -> dict:
    page, size = int(query["page"][0]), int(query["page-size"][0])
    return {"totalRecords": len(results), "page": page, "pageSize": size,
            "links": {"self": "stand-in"}, **extra,
            "results": results[page * size:(page + 1) * size]}


def make_handler(faults: Faults) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            url = urlparse(self.path)
            query = parse_qs(url.query)
            scripted = faults.by_path.get(url.path, [])
            fault = scripted[0] if scripted else ""
            if fault and fault != "always500":
                scripted.pop(0)
            faults.log.append((url.path, query, fault or "200"))
            if fault == "slow":
                time.sleep(1.0)  # past the client's timeout: it has hung up by now
                return
            if fault in {"500", "always500"}:
                self.send_response(500)
                self.end_headers()
                return
            body = json.dumps(self.answer(url.path, query)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def answer(self, path: str, query: dict[str, list[str]]) -> dict:
            if path == "/api/v1/units":
                level = int(query["level"][0])
                units = [{"id": i, "name": n, "parentId": i[:7] + "00000", "level": level,
                          "kind": i[-1], "hasDescription": False}
                         for i, n, _ in UNITS[level]]
                return envelope(units, query, {})
            level = int(query["unit-level"][0])
            years = [int(y) for y in query["year"]]
            results = [{"id": i, "name": n,
                        "values": [{"year": str(y), "val": VALUES[y][i], "attrId": 1}
                                   for y in years]}
                       for i, n, _ in UNITS[level]]
            return envelope(results, query, {"variableId": 72305, "measureUnitId": 1,
                                             "aggregateId": 1, "lastUpdate": "2025-05-14"})

    return Handler


@pytest.fixture
def stand_in() -> Iterator[tuple[str, Faults]]:
    faults = Faults()
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(faults))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/api/v1", faults
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def reference(tmp_path: Path) -> Path:
    (tmp_path / "population").mkdir()
    for parts in (POPULATION_FILE, BDL_UNITS_FILE):
        shutil.copy(REFERENCE.joinpath(*parts), tmp_path.joinpath(*parts))
    return tmp_path


def settings(base_url: str, **overrides: float) -> BdlSettings:
    return BdlSettings(base_url=base_url, page_size=2, **{"timeout_s": 0.5, "attempts": 3,
                                                          "backoff_s": 0.01, **overrides})


def test_refresh_writes_the_fetched_year_through_the_unit_table(stand_in, reference) -> None:
    base_url, faults = stand_in
    done = refresh_population(reference, [2020], settings(base_url))

    wide = read_population_wide(reference.joinpath(*POPULATION_FILE)).set_index("teryt")
    assert done.years == (2020,)
    assert wide.at["2862", "2020"] == 171_000
    assert wide.at["2814013", "2020"] == 18_100
    assert wide.at["2814042", "2020"] == 12_300
    # towns and rural areas of urban-rural gminas are not rows of the file
    assert "2814014" not in wide.index
    # the voivodeship and Poland: sums of the powiats given, 171 000 + 127 000
    assert wide.at["28", "2020"] == 298_000
    assert wide.at["0", "2020"] == 298_000
    # the years already there stay, to the person (Olsztyn 2019: 171 979)
    assert wide.at["2862", "2019"] == 171_979
    assert pd_isna(wide.at["2801", "2020"])  # a powiat the API did not give
    units = (reference / "population" / "bdl_units.csv").read_text(encoding="utf-8")
    assert "042815114013;2814013;gmina;Barczewo" in units
    assert "011212001000;1201;powiat;Powiat bocheński" in units  # known rows kept
    # paged: 5 gminas at 2 a page are pages 0, 1, 2 of both endpoints
    data_pages = [q["page"][0] for p, q, _ in faults.log
                  if p.endswith("/72305") and q["unit-level"] == ["6"]]
    assert data_pages == ["0", "1", "2"]


def test_an_error_answer_that_stays_leaves_the_files_in_place(stand_in, reference) -> None:
    base_url, faults = stand_in
    before = {p: reference.joinpath(*p).read_bytes() for p in (POPULATION_FILE, BDL_UNITS_FILE)}
    faults.by_path["/api/v1/data/by-variable/72305"] = ["always500"]

    with pytest.raises(PopulationRefreshError, match="bez zmian"):
        refresh_population(reference, [2020], settings(base_url))

    assert {p: reference.joinpath(*p).read_bytes() for p in before} == before
    tries = [f for p, _, f in faults.log if p.endswith("/72305")]
    assert tries == ["always500"] * 3  # bounded: 3 attempts, then it gives up


def test_a_timeout_is_retried_and_then_answered(stand_in, reference) -> None:
    base_url, faults = stand_in
    faults.by_path["/api/v1/units"] = ["slow", "500"]

    refresh_population(reference, [2020], settings(base_url))

    first_asks = [f for p, q, f in faults.log if p == "/api/v1/units" and q["page"] == ["0"]
                  and q["level"] == ["5"]]
    assert first_asks == ["slow", "500", "200"]
    wide = read_population_wide(reference.joinpath(*POPULATION_FILE)).set_index("teryt")
    assert wide.at["2814", "2020"] == 127_000


def test_a_timeout_every_time_leaves_the_files_in_place(stand_in, reference) -> None:
    base_url, faults = stand_in
    before = reference.joinpath(*POPULATION_FILE).read_bytes()
    faults.by_path["/api/v1/units"] = ["slow"] * 3

    with pytest.raises(PopulationRefreshError):
        refresh_population(reference, [2020], settings(base_url))

    assert reference.joinpath(*POPULATION_FILE).read_bytes() == before


def test_the_cli_command_refreshes_the_configured_reference(stand_in, reference, monkeypatch,
                                                           capsys) -> None:
    base_url, faults = stand_in
    monkeypatch.setenv("PES_REFERENCE", str(reference))
    assert main(["population", "--year", "2020", "--base-url", base_url]) == 0
    assert "zapisano lata 2020" in capsys.readouterr().out
    wide = read_population_wide(reference.joinpath(*POPULATION_FILE)).set_index("teryt")
    assert wide.at["2862", "2020"] == 171_000

    faults.by_path["/api/v1/units"] = ["always500"]
    assert main(["population", "--year", "2021", "--base-url", base_url]) == 1
    assert "Nie odświeżono ludności" in capsys.readouterr().err


def test_nothing_to_fetch_needs_no_network(reference) -> None:
    # a closed port: any request would fail
    done = refresh_population(reference, (), settings("http://127.0.0.1:9/api/v1"))
    assert done.years == ()


def pd_isna(value: object) -> bool:
    import pandas as pd

    return bool(pd.isna(value))
