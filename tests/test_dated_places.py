"""Dated place names with evidence: Nowe Miasto Lubawskie.

The facts (data/reference/teryt/, TERC of 2022-01-01 and the TERC 'adresowy' list of 2026-01-01
in the shared reference): 2812011 Nowe Miasto Lubawskie is the urban gmina, unchanged; the rural
gmina 2812052 was also named Nowe Miasto Lubawskie and is named Bratian from 2026-01-01
(name_changes.csv). Mszanowo and Bratian are villages of the rural gmina. So the name is the
current name of one unit and the former name of the other: on any date it is ambiguous unless
the row's other fields decide (the town, the kind of gmina, an unambiguous KRS seat), and a
file of 2026 writing the former name is not placed in the urban gmina by dropping that name.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from assets.reference import region_reference
from assets.staging.krs import seat_name_shared_over_time
from sources.teryt import PlaceResolver, gmina_with_kind
from tests.conftest import Refresh, SecondRefresh, copy_of_refresh
from tests.register_staging import settings, stage

URBAN, RURAL = "2812011", "2812052"
NML = "Nowe Miasto Lubawskie"
BEFORE, LAST_DAY, RENAMED, AFTER = (date(2024, 6, 30), date(2025, 12, 31), date(2026, 1, 1),
                                    date(2026, 10, 31))
AMBIGUOUS = "ambiguous"


@pytest.fixture(scope="module")
def resolver() -> PlaceResolver:
    return PlaceResolver(region_reference(settings()))


@pytest.mark.parametrize(("gmina", "town", "on", "expected"), [
    # the name alone: both units, before and after the rename
    (NML, None, BEFORE, AMBIGUOUS),
    (NML, None, LAST_DAY, AMBIGUOUS),
    (NML, None, RENAMED, AMBIGUOUS),
    (NML, None, AFTER, AMBIGUOUS),  # never the urban gmina by dropping the former name
    ("NOWE MIASTO LUBAWSKIE", None, AFTER, AMBIGUOUS),  # as a KRS seat writes it
    # a village of the rural gmina decides, on either side of the date
    (NML, "Mszanowo", BEFORE, RURAL),
    (NML, "Mszanowo", AFTER, RURAL),
    (NML, "Bratian", AFTER, RURAL),
    # the town of the same name is the urban gmina
    (NML, NML, BEFORE, URBAN),
    (NML, NML, AFTER, URBAN),
    (None, NML, AFTER, URBAN),  # a town written without its gmina
    # the kind of gmina written decides
    (f"{NML} - gmina wiejska", None, BEFORE, RURAL),
    (f"{NML} - gmina wiejska", None, AFTER, RURAL),
    (f"gmina miejska {NML}", None, AFTER, URBAN),
    (f"miasto {NML}", None, BEFORE, URBAN),
    # the new name has one unit, whatever the date
    ("Bratian", None, BEFORE, RURAL),
    ("Bratian", None, AFTER, RURAL),
])
def test_nowe_miasto_lubawskie_across_dates(resolver: PlaceResolver, gmina: str | None,
                                            town: str | None, on: date, expected: str) -> None:
    code, problem, candidates = resolver.gmina(gmina, town, "2812", on)
    if expected == AMBIGUOUS:
        assert (code, problem) == (None, AMBIGUOUS)
        assert [part.split()[0] for part in candidates.split("; ")] == [URBAN, RURAL]
    else:
        assert (code, problem) == (expected, None)


def test_the_date_is_shown_as_evidence_not_used_to_drop_a_unit(resolver: PlaceResolver) -> None:
    _, _, after = resolver.gmina(NML, None, "2812", AFTER)
    assert f"{RURAL} Bratian (dawniej {NML}, gmina wiejska" in after
    assert after.endswith("– w dniu 31.10.2026 nazwa dawna")
    _, _, before = resolver.gmina(NML, None, "2812", BEFORE)
    assert "w dniu" not in before  # both units bore the name in 2024


def test_a_type_column_gives_the_kind_of_gmina() -> None:
    written = pd.Series([NML, NML, NML, "Bartoszyce - gmina miejska", None])
    kinds = pd.Series(["gmina wiejska", "gmina miejska", "GW", "gmina wiejska", "gmina wiejska"])
    assert gmina_with_kind(written, kinds).tolist() == [
        f"{NML} - gmina wiejska", f"{NML} - gmina miejska", NML,  # an unknown kind: as written
        "Bartoszyce - gmina miejska", None]  # the cell's own kind stands


def test_a_krs_seat_that_is_a_former_name_places_no_gmina() -> None:
    shared = seat_name_shared_over_time(
        pd.Series(["2812", "2812", "2812", "2801"]),
        pd.Series(["NOWE MIASTO LUBAWSKIE", "BRATIAN", "GRODZICZNO", "BARTOSZYCE"]), settings())
    assert shared.tolist() == [True, False, False, True]


HEADER = ("Lp.;Nazwa podmiotu;Typ PES;Numer KRS;KRS podmiotu prowadzącego;NIP;REGON;Powiat;Gmina;"
          "Rodzaj gminy;Miejscowość;Data rozpoczęcia działalności;Data zakończenia działalności")
ROWS = [
    # line 2: the former name with a village of the rural gmina
    "1;Stowarzyszenie Mszanowo;stowarzyszenie;;;;;nowomiejski;Nowe Miasto Lubawskie;;Mszanowo;"
    "01.01.2020;",
    # line 3: the former name and a type column
    "2;Stowarzyszenie Wiejskie;stowarzyszenie;;;;;nowomiejski;Nowe Miasto Lubawskie;"
    "gmina wiejska;;01.01.2020;",
    # line 4: the name alone, no KRS: quarantined, both candidates listed
    "3;Stowarzyszenie Bez Miejsca;stowarzyszenie;;;;;nowomiejski;Nowe Miasto Lubawskie;;;"
    "01.01.2020;",
    # line 5: the name alone with a KRS: the gmina is set aside, left to the KRS seat
    "4;Stowarzyszenie Z KRS;stowarzyszenie;100004;;;;nowomiejski;Nowe Miasto Lubawskie;;;"
    "01.01.2020;",
    # line 6: the town of the urban gmina
    "5;Stowarzyszenie Miejskie;stowarzyszenie;;;;;nowomiejski;Nowe Miasto Lubawskie;;"
    "Nowe Miasto Lubawskie;01.01.2020;",
]


def catalogue_file(folder: Path, rows: list[str] = ROWS) -> Path:
    path = folder / "katalog_pes_2026-10-31.csv"
    path.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode("cp1250"))
    return path


def test_a_2026_catalogue_places_each_row_on_its_evidence(tmp_path: Path) -> None:
    staged = stage("pes_catalogue", catalogue_file(tmp_path))
    assert staged.accepted_lines == [2, 3, 5, 6]
    assert staged.accepted("gmina_code")[:2] == [RURAL, RURAL]
    assert pd.isna(staged.accepted("gmina_code")[2]) and staged.accepted("gmina_code")[3] == URBAN
    assert staged.quarantined == {(4, "gmina_written", "ambiguous_teryt_unit")}
    assert staged.set_aside == {(5, "gmina_written", "ambiguous_teryt_unit")}
    assert "Kandydaci: 2812011" in staged.message(4, "ambiguous_teryt_unit")


KRS_FIXTURES = Path(__file__).parent / "fixtures" / "inbox" / "krs"


def krs_extract(inbox: Path, number: str, name: str, gmina: str) -> None:
    """A current extract of an association seated in powiat nowomiejski, gmina `gmina` (as
    the register writes seats, in capitals), made from the fixture's real-shaped extract."""
    body = json.loads((KRS_FIXTURES / "odpis_aktualny_0000100003.json").read_text("utf-8"))
    header, data = body["odpis"]["naglowekA"], body["odpis"]["dane"]["dzial1"]
    header.update(rejestr="RejS", numerKRS=number, dataRejestracjiWKRS="02.01.2020",
                  stanZDnia="02.01.2020")
    data["danePodmiotu"].update(formaPrawna="STOWARZYSZENIE", nazwa=name.upper(),
                                identyfikatory={})
    data["siedzibaIAdres"]["siedziba"].update(powiat="NOWOMIEJSKI", gmina=gmina,
                                              miejscowosc=gmina)
    (inbox / "krs" / f"odpis_aktualny_{number}.json").write_text(
        json.dumps(body, ensure_ascii=False), encoding="utf-8")


@pytest.fixture(scope="module")
def seats(tmp_path_factory: pytest.TempPathFactory, refreshed: Refresh) -> Refresh:
    """The session's refresh copied; two associations added to its catalogue and to KRS:

    - KRS 200001, catalogue `Nowe Miasto Lubawskie - gmina wiejska`, KRS seat `NOWE MIASTO
      LUBAWSKIE` (ambiguous): the catalogue's explicit place stands, the rural gmina;
    - KRS 200002, catalogue `Nowe Miasto Lubawskie` alone, KRS seat `BRATIAN`: the seat is
      unambiguous and decides, the rural gmina.
    """
    root = tmp_path_factory.mktemp("seats")
    first = copy_of_refresh(refreshed, root)
    inbox = first.inbox
    catalogue = inbox / "pes_catalogue" / "katalog_pes_2020-12-31.csv"
    catalogue.write_bytes(catalogue.read_bytes() + (
        "13;Stowarzyszenie Jawne;stowarzyszenie;200001;;;;nowomiejski;"
        "Nowe Miasto Lubawskie - gmina wiejska;Mszanowo;02.01.2020;\r\n"
        "14;Stowarzyszenie Bez Rodzaju;stowarzyszenie;200002;;;;nowomiejski;"
        "Nowe Miasto Lubawskie;;02.01.2020;\r\n").encode("cp1250"))
    krs_extract(inbox, "0000200001", "Stowarzyszenie Jawne", "NOWE MIASTO LUBAWSKIE")
    krs_extract(inbox, "0000200002", "Stowarzyszenie Bez Rodzaju", "BRATIAN")
    return SecondRefresh(first).again()


def test_an_ambiguous_krs_seat_does_not_override_the_catalogue(seats: Refresh) -> None:
    assert seats.result.success
    krs = seats.query("select krs, seat_gmina_code from staging.krs_entity "
                      "where krs in ('0000200001', '0000200002') order by krs")
    assert krs["seat_gmina_code"].isna().tolist() == [True, False]
    placed = seats.query("select krs, powiat_code, gmina_code from core.pes_entity "
                         "where krs in ('0000200001', '0000200002') order by krs")
    assert list(placed.itertuples(index=False, name=None)) == [
        ("0000200001", "2812", RURAL), ("0000200002", "2812", RURAL)]
    set_aside = seats.query("select line, reason_code, scope from audit.quarantine "
                            "where source = 'pes_catalogue' and line = 15")
    assert list(set_aside.itertuples(index=False, name=None)) == [
        (15, "ambiguous_teryt_unit", "field")]
