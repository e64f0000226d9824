"""The regional catalogue and the social-enterprise register, staged from real files: the
end-to-end inbox's own files, the catalogue re-saved the way another program saves it, and a
few rows with the gmina traps."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from tests.fixture_inbox import write_fixture_inbox
from tests.register_staging import Staged, stage

HEADER = ("Lp.;Nazwa podmiotu;Typ PES;Numer KRS;KRS podmiotu prowadzącego;NIP;REGON;Powiat;Gmina;"
          "Miejscowość;Data rozpoczęcia działalności;Data zakończenia działalności")


@pytest.fixture(scope="module")
def inbox(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture_inbox(tmp_path_factory.mktemp("inbox"))


@pytest.fixture(scope="module")
def catalogue(inbox: Path) -> Staged:
    return stage("pes_catalogue", inbox / "pes_catalogue" / "katalog_pes_2020-12-31.csv",
                 period_end="2020-12-31")


def test_catalogue_rows_as_tests_test_refresh_counts_them(catalogue: Staged) -> None:
    """Lines 10 (powiat `warszawski`) and 11 (31.02.2019) are rejected; line 9's NIP fails its
    check digit and is set aside, the row kept on its KRS 100005."""
    assert catalogue.accepted_lines == [2, 3, 4, 5, 6, 7, 8, 9, 12, 13]
    assert catalogue.set_aside == {(9, "nip", "invalid_nip")}
    assert catalogue.quarantined == {(10, "powiat_written", "unknown_teryt_unit"),
                                     (11, "started_on_text", "invalid_date")}
    assert catalogue.raw.attrs["encoding"] == "cp1250"


def test_catalogue_gminas_resolve(catalogue: Staged) -> None:
    """Dywity (3 rows), Olsztyn, Elbląg in the city powiat, then Ełk and Giżycko: each both an
    urban and a rural gmina, the town of the same name makes them urban; Stawiguda,
    Gietrzwałd, Olsztyn."""
    assert catalogue.accepted("gmina_code") == [
        "2814042", "2814042", "2814042", "2862011", "2861011", "2805011", "2806011", "2814112",
        "2814052", "2862011"]


def test_the_catalogue_resaved_in_utf8_with_commas_stages_the_same(
        catalogue: Staged, tmp_path: Path) -> None:
    """Opened and saved by another program: UTF-8, `,` between fields, quotes where needed."""
    original = (Path(__file__).parent / "fixtures" / "inbox" / "pes_catalogue" /
                "katalog_pes_2020-12-31.csv").read_bytes().decode("cp1250")
    rows = list(csv.reader(io.StringIO(original, newline=""), delimiter=";"))
    text = io.StringIO()
    csv.writer(text, delimiter=",", lineterminator="\n").writerows(rows)
    path = tmp_path / "katalog_pes_2020-12-31.csv"
    path.write_bytes(text.getvalue().encode("utf-8"))
    resaved = stage("pes_catalogue", path, period_end="2020-12-31")
    assert (resaved.raw.attrs["encoding"], resaved.raw.attrs["separator"]) == ("utf-8", "','")
    assert resaved.quarantined == catalogue.quarantined
    columns = ["name", "krs", "nip", "regon", "powiat_code", "gmina_code", "started_on"]
    assert resaved.screened.accepted[columns].equals(catalogue.screened.accepted[columns])


def test_catalogue_gmina_traps(tmp_path: Path) -> None:
    rows = [
        # line 2: the town of Bartoszyce: the urban gmina
        "1;Stowarzyszenie A;stowarzyszenie;100001;;;;bartoszycki;Bartoszyce;Bartoszyce;01.01.2020;",
        # line 3: a village: the rural gmina of the same name
        "2;Stowarzyszenie B;stowarzyszenie;100002;;;;bartoszycki;Bartoszyce;Bezledy;01.01.2020;",
        # line 4: no town and no KRS: either gmina; quarantined with both listed (with a KRS,
        # the gmina is left to the KRS seat: tests/test_dated_places.py)
        "3;Stowarzyszenie C;stowarzyszenie;;;;;bartoszycki;Bartoszyce;;01.01.2020;",
        # line 5: no gmina: the town of Biskupiec, in the urban-rural gmina 2814023
        "4;Stowarzyszenie D;stowarzyszenie;100004;;;;olsztyński;;Biskupiec;01.01.2020;",
    ]
    path = tmp_path / "katalog_pes_2026-10-31.csv"
    path.write_bytes(("\r\n".join([HEADER, *rows]) + "\r\n").encode("cp1250"))
    staged = stage("pes_catalogue", path)
    assert staged.accepted_lines == [2, 3, 5]
    assert staged.accepted("gmina_code") == ["2801011", "2801032", "2814023"]
    assert staged.quarantined == {(4, "gmina_written", "ambiguous_teryt_unit")}
    assert "2801011 Bartoszyce (gmina miejska" in staged.message(4, "ambiguous_teryt_unit")


def test_identifiers_in_fullwidth_digits_are_quarantined(tmp_path: Path) -> None:
    """Digits typed with an East Asian keyboard look like 0-9 and are digits to Python, but
    no identifier is written in them: the rows are quarantined, the others staged."""
    rows = [
        # line 2: KRS 100001, NIP 7391000018 (valid in 0-9), REGON 510000011, all in fullwidth
        "1;Stowarzyszenie A;stowarzyszenie;１０００１;;７３９１０００１８;５１０００００１１;"
        "olsztyński;Dywity;Dywity;01.03.2015;",
        "2;Stowarzyszenie B;stowarzyszenie;100002;;7391000018;;olsztyński;Dywity;Dywity;"
        "01.03.2015;",
    ]
    path = tmp_path / "katalog_pes_2026-10-31.csv"
    path.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode("utf-8"))
    staged = stage("pes_catalogue", path)
    assert staged.accepted_lines == [3]
    assert staged.quarantined == {(2, "krs", "invalid_krs"), (2, "nip", "invalid_nip"),
                                  (2, "regon", "invalid_regon")}


def test_social_enterprise_register_from_the_inbox(inbox: Path) -> None:
    """Row 5 accepted (an Excel date, the powiat `Elbląg`); row 6 has REGON 123456789 whose
    check digit should be 5: the REGON is set aside, the row stays on its name and powiat."""
    staged = stage("social_enterprise", inbox / "social_enterprises" /
                   "rejestr_ps_2020-12-31.xlsx", period_end="2020-12-31")
    assert staged.accepted_lines == [5, 6]
    assert staged.set_aside == {(6, "regon", "invalid_regon")}
    assert staged.quarantined == set()
    assert staged.accepted("powiat_code") == ["2861", "2862"]
    assert staged.accepted("granted_on") == [date(2018, 3, 1), date(2019, 5, 15)]
    assert staged.accepted("krs")[0] == "0000100003"
    assert pd.isna(staged.accepted("regon")[1])
    assert staged.raw.attrs["header_row"] == 4
