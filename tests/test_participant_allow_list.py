"""Personal data by allow-list: whatever a participants sheet's headers say, only the columns the
readers use reach landing (the PESEL as a pseudonym), and every other column is named.

The sheet is one an office typed by hand: a title row, every header spelled its own way
(`pesel`, `Imie`, `NAZWISKO`, `ID wydarzenia`...) and contact columns nobody asked for.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from quality.identifiers import pesel_is_valid
from sources.activity_log import pseudonymise_workbook
from sources.mapping import fold_header, load_mapping
from tests.conftest import SecondRefresh
from tests.fixture_inbox import PARTICIPANTS, activity_workbook
from tests.test_privacy import texts_in, warehouse_text

# Ten headers as offices type them, and three columns of contact details.
SENT_HEADER = ("ID wydarzenia", "pesel", "Imie", "NAZWISKO", "płeć", "INSTYTUCJA",
               "typ instytucji", "Telefon", "E-mail", "Adres")
CONTACTS = [("601 203 405", "jan.kowalski@przyklad.pl", "ul. Lipowa 7, 11-001 Dywity"),
            ("602 304 506", "anna.nowak@przyklad.pl", "ul. Polna 12, 10-001 Olsztyn"),
            ("601 203 405", "jan.kowalski@przyklad.pl", "ul. Lipowa 7, 11-001 Dywity"),
            ("603 405 607", "piotr.wisniewski@przyklad.pl", "ul. Leśna 3, 11-008 Purda"),
            ("604 506 708", "maria.zielinska@przyklad.pl", "ul. Długa 1, 10-002 Olsztyn"),
            ("605 607 809", "ewa.lewandowska@przyklad.pl", "ul. Krótka 9, 10-003 Olsztyn")]
# Rows of tests/fixture_inbox.PARTICIPANTS (event, PESEL, first name, surname, sex,
# institution, type) with each one's contact details after them.
SENT_ROWS = [(*row, *contact) for row, contact in zip(PARTICIPANTS, CONTACTS, strict=True)]
SECRETS = sorted({v for row in SENT_ROWS for v in (row[1], row[3], *row[7:]) if v})


def participant_sheet(rows: list[tuple] = SENT_ROWS, header: tuple = SENT_HEADER) -> list[tuple]:
    """The sheet as typed: a title, a blank row, the header, the rows."""
    return [("Lista obecności – uczestnicy wydarzeń 2019–2020",), (), header, *rows]


def write_log(path: Path, sheet: list[tuple]) -> Path:
    workbook = activity_workbook()
    workbook.remove(workbook["Uczestnicy"])
    typed = workbook.create_sheet("Uczestnicy")
    for row in sheet:
        typed.append(list(row))
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def test_headers_fold_case_polish_letters_spaces_and_punctuation() -> None:
    assert fold_header("Imie") == fold_header("Imię") == fold_header("IMIĘ")
    assert fold_header("NAZWISKO") == fold_header(" nazwisko ")
    assert fold_header("Data rozpoczęcia-działalności") == fold_header(
        "DATA ROZPOCZECIA DZIALALNOSCI")
    assert fold_header("L.p.") == fold_header("Lp") == fold_header("lp.")
    assert fold_header("Miejscowość") == fold_header("MIEJSCOWOSC")
    assert fold_header("Płeć") == fold_header("plec")
    assert fold_header("Nr KRS") != fold_header("KRS")


@pytest.mark.parametrize("table", sorted(p.stem for p in
                                         (Path(__file__).parents[1] / "sources" / "mappings")
                                         .glob("*.yml")))
def test_no_two_fields_of_a_mapping_share_a_folded_header(table: str) -> None:
    mapping = load_mapping(table)
    owners: dict[str, str] = {}
    for column, aliases in {**mapping.columns, **mapping.personal}.items():
        for alias in aliases:
            assert owners.setdefault(fold_header(alias), column) == column, alias
    assert not set(owners) & mapping.ignored


def landed_sheet(path: Path) -> list[tuple]:
    return [tuple(row) for row in load_workbook(path)["Uczestnicy"].iter_rows(values_only=True)]


def test_only_the_allow_list_survives_pseudonymisation(tmp_path: Path) -> None:
    sent = write_log(tmp_path / "sent.xlsx", participant_sheet())
    done = pseudonymise_workbook(sent, tmp_path / "landed.xlsx", b"key", pesel_is_valid)

    rows = landed_sheet(tmp_path / "landed.xlsx")
    # the title row and the blank row are gone; the header stays on line 3, each row on its line
    assert rows[:2] == [(None,) * 6, (None,) * 6]
    assert rows[2] == ("Pseudonim osoby", "Status PESEL", "Id wydarzenia", "Płeć", "Instytucja",
                       "Typ instytucji")
    assert [r[1] for r in rows[3:]] == ["poprawny", "poprawny", "poprawny", "niepoprawny", "brak",
                                        "poprawny"]
    assert [r[2] for r in rows[3:]] == ["E1", "E1", "E2", "E2", "E3", "E3"]
    assert done.dropped == ["Imie", "NAZWISKO", "Telefon", "E-mail", "Adres"]
    assert done.statuses == {"valid": 4, "invalid": 1, "missing": 1}
    landed_text = texts_in(tmp_path / "landed.xlsx")
    assert [value for value in SECRETS if value in landed_text] == []


@pytest.mark.parametrize("names", [("Imię i nazwisko",), ("Nazwisko i imię",),
                                   ("Uczestnik",), ("Imie uczestnika", "Nazwisko uczestnika"),
                                   ("Dane osobowe",)])
def test_no_header_spelling_brings_a_name_into_landing(tmp_path: Path, names: tuple) -> None:
    header = ("Id wydarzenia", "PESEL", *names, "Płeć", "Typ instytucji")
    rows = [("E1", "85121203459", *["Kowalski Jan"] * len(names), "M", "JST")]
    sent = write_log(tmp_path / "sent.xlsx", [header, *rows])
    done = pseudonymise_workbook(sent, tmp_path / "landed.xlsx", b"key", pesel_is_valid)
    assert done.dropped == list(names)
    assert "Kowalski" not in texts_in(tmp_path / "landed.xlsx")


def test_sheet_without_pesel_is_withheld_not_landed(tmp_path: Path) -> None:
    header = tuple(h for h in SENT_HEADER if h != "pesel")
    rows = [tuple(v for i, v in enumerate(row) if i != 1) for row in SENT_ROWS]
    sent = write_log(tmp_path / "sent.xlsx", participant_sheet(rows, header))
    done = pseudonymise_workbook(sent, tmp_path / "landed.xlsx", b"key", pesel_is_valid)
    assert done.withheld and "PESEL" in done.withheld
    landed = load_workbook(tmp_path / "landed.xlsx")
    assert landed.sheetnames[-1] == "Uczestnicy" and len(landed.sheetnames) == 8
    text = texts_in(tmp_path / "landed.xlsx")
    assert [value for value in SECRETS if value in text] == []


def test_refresh_of_a_hand_typed_sheet_leaks_nothing_and_names_what_it_dropped(
    published_copy: SecondRefresh,
) -> None:
    first = published_copy.first
    write_log(first.inbox / "activity" / "dziennik_dzialan_2021-01-31.xlsx", participant_sheet())
    second = published_copy.again()
    assert second.result.success

    # read under the folded headers: the same attendances as the fixture's own sheet
    attendances = second.query("select event_id, sex, institution_type from "
                               "staging.participation order by event_id, institution_type")
    assert attendances.values.tolist() == [["E1", "M", "jst"], ["E1", "K", "pes"],
                                           ["E2", "M", "jst"], ["E3", "K", "science"]]
    quarantined = second.query("select line, reason_code from audit.quarantine where "
                               "source = 'participation' order by line")
    assert quarantined.values.tolist() == [[7, "invalid_pesel"], [8, "missing_pesel"]]

    found = {
        "landing": "\n".join(texts_in(p) for p in second.landing.rglob("*") if p.is_file()),
        "warehouse": warehouse_text(second.warehouse)
        + second.warehouse.read_bytes().decode("latin-1"),
        "publish": "\n".join(texts_in(p) for p in second.publish.rglob("*") if p.is_file()),
        "logs": "\n".join(str(event) for event in second.result.all_events),
    }
    leaked = {where: [v for v in SECRETS if v in text] for where, text in found.items()}
    assert leaked == {where: [] for where in found}

    report = (second.publish / "raport_jakosci.html").read_text(encoding="utf-8")
    for header in ("Imie", "NAZWISKO", "Telefon", "E-mail", "Adres"):
        assert f"kolumna „{header}” nie jest na liście kolumn czytanych" in report
    assert "dziennik_dzialan_2021-01-31.xlsx" in report


def test_sheet_without_pesel_makes_participants_stale_not_the_refresh(
    published_copy: SecondRefresh,
) -> None:
    first = published_copy.first
    before = first.query("select * from staging.participation order by source_line")
    header = tuple(h for h in SENT_HEADER if h != "pesel")
    rows = [tuple(v for i, v in enumerate(row) if i != 1) for row in SENT_ROWS]
    name = "dziennik_dzialan_2021-01-31.xlsx"
    write_log(first.inbox / "activity" / name, participant_sheet(rows, header))
    second = published_copy.again()

    assert second.result.success
    assert second.query("select * from staging.participation order by source_line").equals(before)
    status = second.query("select source, is_stale, stale_reason_pl from marts.source_status "
                          "where source in ('participation', 'rkres_meeting')")
    stale = dict(zip(status["source"], status["is_stale"], strict=True))
    assert stale == {"participation": True, "rkres_meeting": False}
    reason = status.set_index("source").loc["participation", "stale_reason_pl"]
    assert name in reason and "„PESEL" in reason and "Co zrobić" in reason
    # the other sheets of the same file were read from it
    meetings = second.query("select distinct source_file from staging.rkres_meeting")
    assert meetings["source_file"].tolist() == [name]
    landed = "\n".join(texts_in(p) for p in second.landing.rglob("*.xlsx"))
    assert [value for value in SECRETS if value in landed] == []

