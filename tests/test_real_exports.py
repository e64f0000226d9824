"""Registers as offices really send them: headers of their own, CSV or XLSX, files in the wrong
format beside them. Every header is accounted for (used, ignored or unknown), and nothing is
dropped without a Polish note saying where and what to do.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from assets.staging import STAGING_SPECS
from pipelines.cli import print_summary
from sources.headers import account_headers
from sources.mapping import load_mapping
from tests.conftest import SecondRefresh

# A catalogue exported by another office: its own headers, two of them the real-world aliases
# of the issue, one an abbreviation the mapping does not know, one a contact column.
CATALOGUE_HEADER = ("L.p.", "NAZWA PODMIOTU", "Typ PES", "Nr KRS", "Nr KRS organizacji prowadzącej",
                    "NIP", "REGON", "POWIAT", "Gmina siedziby", "Miejscowość",
                    "Data rozpoczęcia działalności", "Data zakończ. działalności",
                    "Telefon kontaktowy")
CATALOGUE_ROWS = [
    ("1", "Stowarzyszenie Razem w Dywitach", "stowarzyszenie", "100001", "", "739-100-00-18",
     "510000011", "olsztyński", "Dywity", "Dywity", "01.03.2015", "", "89 512 00 00"),
    # a CIS whose founder is the association above, by its KRS
    ("2", "Centrum Integracji Społecznej w Ełku", "CIS", "", "100001", "", "510000040",
     "ełcki", "Ełk", "Ełk", "01.09.2016", "", ""),
    # a village that is no gmina's name: placed by the gmina column alone
    ("3", "Fundacja Wiejska", "fundacja", "", "", "", "", "olsztyński", "Jonkowo",
     "Nowe Kawkowo", "15.04.2019", "", ""),
    # a powiat no TERYT unit is named: quarantined, the column named as this file heads it
    ("4", "Fundacja Mazurska", "fundacja", "", "", "", "", "mazurski", "", "", "01.02.2019",
     "", ""),
]
NAME = "katalog_pes_2021-01-31"
# TERYT (data/reference/teryt/terc_PL_2022-01-01.csv): Dywity 28 14 04 2, miasto Ełk
# 28 05 01 1, Jonkowo 28 14 07 2.
EXPECTED_GMINAS = ["2814042", "2805011", "2814072"]


def catalogue_csv(path: Path) -> Path:
    """As the centre's spreadsheet saves it: CP-1250, `;`, CRLF line ends."""
    lines = [";".join(row) for row in (CATALOGUE_HEADER, *CATALOGUE_ROWS)]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1250"))
    return path


def catalogue_xlsx(path: Path) -> Path:
    """As Excel saves it: a title row above the header, on a sheet named "Arkusz1"."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Arkusz1"
    sheet.append(["Katalog podmiotów ekonomii społecznej – stan na 31.01.2021"])
    for row in (CATALOGUE_HEADER, *CATALOGUE_ROWS):
        sheet.append([value or None for value in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def staging_meta(refresh, table: str) -> dict:
    event = next(e for e in refresh.result.get_asset_materialization_events()
                 if e.materialization.asset_key.path == ["staging", table])
    return {k: v.value for k, v in event.materialization.metadata.items()}


@pytest.mark.parametrize("write", [catalogue_csv, catalogue_xlsx], ids=["csv", "xlsx"])
def test_catalogue_of_another_office_is_read_and_its_headers_accounted_for(
    published_copy: SecondRefresh, write, capsys: pytest.CaptureFixture,
) -> None:
    first = published_copy.first
    suffix = ".csv" if write is catalogue_csv else ".xlsx"
    write(first.inbox / "pes_catalogue" / f"{NAME}{suffix}")
    # the other office's catalogue is smaller than the one published: the analyst confirms it
    # (docs/entity_model.md, the volume guard)
    (first.inbox / "decisions").mkdir(exist_ok=True)
    (first.inbox / "decisions" / "mniej_wierszy.csv").write_text(
        "decyzja;rekord;drugi_rekord;miejsce;kod_terc;uzasadnienie\n"
        f"mniej_wierszy;pes_catalogue:{NAME}{suffix};;;;katalog innego biura\n", encoding="utf-8")
    second = published_copy.again()
    assert second.result.success

    rows = second.query("select source_file, name, founder_krs, gmina_code from "
                        "staging.pes_catalogue order by source_line")
    assert rows["source_file"].unique().tolist() == [f"{NAME}{suffix}"]
    assert rows["founder_krs"].tolist()[1] == "0000100001"  # "Nr KRS organizacji prowadzącej"
    assert rows["gmina_code"].tolist() == EXPECTED_GMINAS  # "Gmina siedziby"

    headers = second.query("select header, status, field from audit.source_header "
                           "where source = 'pes_catalogue'")
    accounted = {r.header: (r.status, r.field) for r in headers.itertuples()}
    assert accounted == {
        "L.p.": ("ignored", None), "NAZWA PODMIOTU": ("used", "name"),
        "Typ PES": ("used", "entity_type_pl"), "Nr KRS": ("used", "krs"),
        "Nr KRS organizacji prowadzącej": ("used", "founder_krs"), "NIP": ("used", "nip"),
        "REGON": ("used", "regon"), "POWIAT": ("used", "powiat_written"),
        "Gmina siedziby": ("used", "gmina_written"), "Miejscowość": ("used", "town"),
        "Data rozpoczęcia działalności": ("used", "started_on"),
        "Data zakończ. działalności": ("unknown", "ended_on"),
        "Telefon kontaktowy": ("unknown", None),
    }

    # the abbreviated end date resembles a date the rows are dated by: a warning on the
    # dashboard's source line, not just a note
    page = (second.publish / "dashboard.html").read_text(encoding="utf-8")
    assert ("Nieznane kolumny, które mogą wiązać lub umiejscawiać wiersze: „Data zakończ. "
            "działalności” (przypomina „Data zakończenia działalności”)") in page
    assert "Telefon kontaktowy" not in page
    report = (second.publish / "raport_jakosci.html").read_text(encoding="utf-8")
    for header in ("Data zakończ. działalności", "Telefon kontaktowy"):
        assert f"Plik {NAME}{suffix}" in report and f"kolumna „{header}” nie jest znana" in report
    assert "dopisz „Data zakończ. działalności” w pliku pes_catalogue.yml" in report

    # every message in the analyst's words: the file, the line, the header as the file writes it
    assert '{"' not in report
    line = 5 if suffix == ".csv" else 6  # the workbook has a title row above its header
    quarantine = pd.read_csv(second.publish / "kwarantanna.csv", sep=";", dtype=str)
    assert quarantine.columns.tolist()[:7] == ["zrodlo", "plik", "arkusz", "wiersz", "kolumna",
                                               "opis", "co_zrobic"]
    mine = quarantine[quarantine["plik"] == f"{NAME}{suffix}"]
    assert mine[["zrodlo", "wiersz", "kolumna"]].values.tolist() == [
        ["Katalog PES (ROPS)", str(line), "POWIAT"]]
    assert mine["co_zrobic"].iloc[0].startswith("Popraw nazwę lub kod jednostki")

    print_summary(second.result)
    summary = capsys.readouterr().out
    assert (f"Plik {NAME}{suffix}" + (", arkusz „Arkusz1”" if suffix == ".xlsx" else "")
            + ": kolumna „Data zakończ. działalności” nie jest znana") in summary
    assert "kolumna „Telefon kontaktowy” nie jest znana" in summary
    assert len(staging_meta(second, "pes_catalogue")["unknown_headers_pl"]) == 2


REGISTERS = ["pes_catalogue", "social_enterprise", "cis_register", "kis_register",
             "zaz_register", "wtz_register"]


@pytest.mark.parametrize("table", REGISTERS)
def test_every_register_reads_the_same_from_csv_and_xlsx(table: str, tmp_path: Path) -> None:
    """A register's columns under their official headers, one row of text each: the CSV (UTF-8
    with a BOM, `;`) and the workbook (one sheet, "Arkusz1") give the same table."""
    mapping = load_mapping(table)
    read = next(spec.read for spec in STAGING_SPECS if spec.table == table)
    header = [aliases[0] for aliases in mapping.columns.values()]
    row = [f"wartość {i}" for i in range(len(header))]
    csv = tmp_path / f"{table}.csv"
    csv.write_bytes(("\ufeff" + ";".join(header) + "\r\n" + ";".join(row) + "\r\n")
                    .encode("utf-8"))
    workbook = Workbook()
    workbook.active.title = "Arkusz1"
    workbook.active.append(header)
    workbook.active.append(row)
    workbook.save(tmp_path / f"{table}.xlsx")

    from_csv, from_xlsx = read(csv), read(tmp_path / f"{table}.xlsx")
    columns = list(mapping.columns)
    pd.testing.assert_frame_equal(from_csv[columns], from_xlsx[columns])
    assert from_csv[columns].iloc[0].tolist() == row
    assert from_xlsx.attrs["sheet"] == "Arkusz1"


def test_an_xls_in_the_folder_is_named_in_the_stale_reason(
    published_copy: SecondRefresh,
) -> None:
    first = published_copy.first
    folder = first.inbox / "pes_catalogue"
    for old in folder.iterdir():
        old.unlink()
    # what Excel 97-2003 writes first: the OLE2 signature
    (folder / f"{NAME}.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    second = published_copy.again()

    assert second.result.success
    status = second.query("select is_stale, stale_reason_pl from marts.source_status "
                          "where source = 'pes_catalogue'")
    assert status["is_stale"].all()
    reason = status["stale_reason_pl"].iloc[0]
    assert f"{NAME}.xls" in reason and "*.csv, *.xlsx" in reason and "Co zrobić" in reason
    page = (second.publish / "dashboard.html").read_text(encoding="utf-8")
    assert f"{NAME}.xls" in page


@pytest.mark.parametrize(("header", "nearest"), [
    ("Numer KRS podmiotu prowadzacego", "founder_krs"),  # "Nr"/"Numer", no Polish letters
    ("działalności data rozpoczęcia", "started_on"),  # word order, case
    ("Data rozp. działalności", "started_on"),  # an abbreviation
    ("GMINA SIEDZIBY PODMIOTU", "gmina_written"),
    ("Miejscowosc siedziby", "town"),
    ("Telefon", None),
    ("Uwagi", None),
])
def test_an_unknown_header_is_told_the_field_it_resembles(header: str, nearest: str | None) -> None:
    mapping = load_mapping("pes_catalogue")
    used = ["Nazwa podmiotu", "Typ PES", "Numer KRS", "NIP", "REGON", "Powiat"]
    account = next(a for a in account_headers(mapping, [*used, header]) if a.header == header)
    assert (account.status, account.field) == ("unknown", nearest)
    assert account.links_or_places == (nearest is not None)
