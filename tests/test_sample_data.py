"""Tests of the sample generator: same seed same files, the contract of docs/inputs.md, valid
identifiers but for the deliberate few, and the scale and figures the docs promise.

The check digits are computed here from the published weights, not with the generator's code,
so a bug in the generator's checks cannot hide itself.
"""

import csv
import io
import json
import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from sample_data import DEFAULT_TERYT_CSV, generate_sample

CATALOGUE = "pes_catalogue/katalog_pes_2026-10-31.csv"
PS_REGISTER = "social_enterprises/rejestr_ps_2026-10-31.xlsx"
ACTIVITY_LOG = "activity/dziennik_dzialan_2026-10-31.xlsx"
CATALOGUE_HEADER = [
    "Lp.", "Nazwa podmiotu", "Typ PES", "Numer KRS", "KRS podmiotu prowadzącego", "NIP", "REGON",
    "Powiat", "Gmina", "Miejscowość", "Data rozpoczęcia działalności",
    "Data zakończenia działalności",
]
PS_HEADER = [
    "Lp.", "Nazwa jednostki", "Numer decyzji o przyznaniu statusu przedsiębiorstwa społecznego",
    "Data przyznania statusu", "Data utraty statusu", "Numer KRS", "NIP", "REGON", "Powiat",
    "Charakter prowadzonej działalności przedsiębiorstw społecznych",
]
PES_TYPES = {"stowarzyszenie", "fundacja", "spółdzielnia socjalna", "CIS", "KIS", "ZAZ", "WTZ"}
DATE_PL = re.compile(r"^\d{2}\.\d{2}\.\d{4}$")


def _weighted(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False))


def nip_ok(nip: str) -> bool:
    if not re.fullmatch(r"\d{10}", nip):
        return False
    rest = _weighted(nip, (6, 5, 7, 2, 3, 4, 5, 6, 7)) % 11
    return rest != 10 and rest == int(nip[9])


def regon_ok(regon: str) -> bool:
    if re.fullmatch(r"\d{9}", regon):
        return _weighted(regon, (8, 9, 2, 3, 4, 5, 6, 7)) % 11 % 10 == int(regon[8])
    if re.fullmatch(r"\d{14}", regon):
        weights = (2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8)
        return _weighted(regon, weights) % 11 % 10 == int(regon[13])
    return False


def krs_regon_ok(regon: str) -> bool:
    """The KRS API writes a 9-digit REGON padded with five zeros to 14 digits."""
    return regon_ok(regon[:9]) if regon.endswith("00000") else regon_ok(regon)


def pesel_ok(pesel: str) -> bool:
    if not re.fullmatch(r"\d{11}", pesel):
        return False
    total = _weighted(pesel, (1, 3, 7, 9, 1, 3, 7, 9, 1, 3))
    return (10 - total % 10) % 10 == int(pesel[10])


def nip_digits(written: str) -> str:
    return written.removeprefix("PL").replace("-", "")


def _generate(root: Path, seed: int) -> tuple[Path, dict[str, int]]:
    return root, generate_sample(root, DEFAULT_TERYT_CSV, seed=seed)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    return _generate(tmp_path_factory.mktemp("seed28"), 28)


@pytest.fixture(scope="module")
def root(sample: tuple[Path, dict[str, int]]) -> Path:
    return sample[0]


def files_of(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def xlsx_values(path: Path) -> dict[str, list[tuple]]:
    workbook = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)]
                for ws in workbook.worksheets}
    finally:
        workbook.close()


def content(path: Path) -> object:
    if path.suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    if path.suffix == ".xlsx":
        return xlsx_values(path)
    return path.read_bytes()


def catalogue_rows(root: Path) -> list[list[str]]:
    text = (root / CATALOGUE).read_bytes().decode("cp1250")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_the_seed_decides_the_content(root: Path, tmp_path: Path) -> None:
    """Another seed gives another sample; the same seed, written over it into the same folder,
    gives the same files with the same content (and no file of the other seed is left)."""
    _generate(tmp_path, 29)
    assert (root / CATALOGUE).read_bytes() != (tmp_path / CATALOGUE).read_bytes()
    assert set(files_of(root / "krs")) != set(files_of(tmp_path / "krs"))

    _generate(tmp_path, 28)
    names = files_of(root)
    assert names == files_of(tmp_path)
    for name in names:
        assert content(root / name) == content(tmp_path / name), name


def test_counts_returned_match_the_files(sample: tuple[Path, dict[str, int]]) -> None:
    root, counts = sample
    for source in ("pes_catalogue", "social_enterprises", "krs", "owes", "activity",
                   "cis_register", "kis_register", "zaz_register", "wtz_register",
                   "kgw_register"):
        assert counts[f"{source}_files"] == len(files_of(root / source)), source
    assert counts["pes_catalogue_rows"] == len(catalogue_rows(root)) - 1
    assert counts["krs_rows"] == counts["krs_files"]


def test_catalogue_follows_the_contract(root: Path) -> None:
    raw = (root / CATALOGUE).read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n")
    rows = catalogue_rows(root)
    assert rows[0] == CATALOGUE_HEADER
    data = rows[1:]
    assert all(len(r) == len(CATALOGUE_HEADER) for r in data)
    assert [int(r[0]) for r in data] == list(range(1, len(data) + 1))
    assert {r[2] for r in data} == PES_TYPES
    assert all(DATE_PL.match(r[10]) and (r[11] == "" or DATE_PL.match(r[11])) for r in data)
    units = [r for r in data if r[2] in {"CIS", "KIS", "ZAZ", "WTZ"}]
    assert all(r[3] == "" for r in units)
    assert any(r[4] for r in units)
    assert not any(r[4] for r in data if r[2] not in {"CIS", "KIS", "ZAZ", "WTZ"})


def test_catalogue_has_the_scale_of_the_region(root: Path) -> None:
    types = Counter(r[2] for r in catalogue_rows(root)[1:])
    assert 2800 <= types["stowarzyszenie"] + types["fundacja"] <= 3300
    assert 95 <= types["spółdzielnia socjalna"] <= 115
    assert 80 <= types["CIS"] + types["KIS"] + types["ZAZ"] + types["WTZ"] <= 100


def test_catalogue_has_the_mess_of_real_files(root: Path) -> None:
    data = catalogue_rows(root)[1:]
    repeated = sum(n - 1 for n in Counter(tuple(r[1:]) for r in data).values())
    assert 0.01 * len(data) <= repeated <= 0.03 * len(data)
    by_krs = Counter(r[3].zfill(10) for r in data if r[3])
    assert sum(n - 1 for n in by_krs.values()) > repeated  # respelled entities on top
    powiats = {r[7] for r in data}
    assert any(p.startswith("m. ") for p in powiats)
    assert any(p.startswith("powiat ") for p in powiats)
    assert any(p.isupper() for p in powiats)
    assert "Elblag" in powiats
    assert any(r[3] and len(r[3]) < 10 for r in data)
    nips = [r[5] for r in data if r[5]]
    assert any("-" in n for n in nips) and any(n.startswith("PL") for n in nips)
    assert any(n.endswith(" ") for n in (r[1] for r in data))


def test_identifiers_are_valid_but_for_the_deliberate_few(root: Path) -> None:
    data = catalogue_rows(root)[1:]
    bad_nip = [r[0] for r in data if r[5] and not nip_ok(nip_digits(r[5]))]
    bad_regon = [r[0] for r in data if r[6] and not regon_ok(r[6])]
    with (root / "_truth/invalid_ids.csv").open(encoding="utf-8", newline="") as handle:
        listed = [row for row in csv.DictReader(handle) if row["source"] == "pes_catalogue"]
    assert sorted(bad_nip + bad_regon) == sorted(row["row"] for row in listed)
    assert 0 < len(bad_nip) + len(bad_regon) <= 0.01 * len(data)
    assert len(bad_nip) and len(bad_regon)

    for path in (root / "krs").iterdir():
        extract_data = json.loads(path.read_text(encoding="utf-8"))["odpis"]["dane"]
        if not extract_data:  # a struck-off entity's full extract without data
            continue
        ids = extract_data["dzial1"]["danePodmiotu"]["identyfikatory"]
        ids = ids[0]["identyfikatory"] if isinstance(ids, list) else ids
        assert "nip" not in ids or nip_ok(ids["nip"]), path.name
        assert "regon" not in ids or krs_regon_ok(ids["regon"]), path.name

    register = xlsx_values(root / PS_REGISTER)["Rejestr PS"][4:]
    assert all(nip_ok(nip_digits(r[6])) and regon_ok(r[7]) for r in register if r[6])
    for path in sorted((root / "owes").iterdir())[::10]:
        detail = xlsx_values(path)["Podmioty wsparte"][1:]
        assert all(nip_ok(nip_digits(r[3])) for r in detail if r[3]), path.name


def test_krs_extracts_have_the_api_shape(root: Path) -> None:
    current = full = without_data = elsewhere = 0
    for path in sorted((root / "krs").iterdir()):
        text = path.read_text(encoding="utf-8")
        assert "\\u0" not in text  # written with ensure_ascii=False
        odpis = json.loads(text)["odpis"]
        if path.name.startswith("odpis_aktualny_"):
            current += 1
            header, seat = odpis["naglowekA"], odpis["dane"]["dzial1"]["siedzibaIAdres"]["siedziba"]
            assert odpis["rodzaj"] == "Aktualny"
            assert DATE_PL.match(header["dataRejestracjiWKRS"])
        else:
            full += 1
            header = odpis["naglowekP"]
            assert odpis["rodzaj"] == "Pełny"
            # the real full extract's header: no registration date, entry 1 is the registration
            assert set(header) == {"rejestr", "numerKRS", "dataCzasOdpisu", "stanZDnia", "wpis",
                                   "stanPozycji"}
            assert header["wpis"][0]["opis"] == "REJESTRACJA W KRAJOWYM REJESTRZE SĄDOWYM"
            assert header["wpis"][-1]["opis"] == "WYKREŚLENIE Z KRAJOWEGO REJESTRU SĄDOWEGO"
            assert header["wpis"][-1]["dataWpisu"] == header["stanZDnia"]
            if not odpis["dane"]:
                without_data += 1
                continue
            seat = odpis["dane"]["dzial1"]["siedzibaIAdres"]["siedziba"][0]
        assert path.stem.endswith(header["numerKRS"]) and re.fullmatch(r"\d{10}",
                                                                       header["numerKRS"])
        assert header["rejestr"] in {"RejS", "RejP"}
        assert DATE_PL.match(header["stanZDnia"])
        elsewhere += seat["wojewodztwo"] != "WARMIŃSKO-MAZURSKIE"
        assert seat["gmina"].isupper()
    assert current + full == 3100
    assert 300 <= full <= 800
    assert 0.2 * full <= without_data <= 0.4 * full
    assert elsewhere == 6


def test_social_enterprise_register_follows_the_contract(root: Path) -> None:
    workbook = openpyxl.load_workbook(root / PS_REGISTER)
    sheet = workbook["Rejestr PS"]
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:J1", "A2:J2"}
    assert sheet["A1"].value.startswith("Rejestr przedsiębiorstw społecznych")
    assert sheet["A2"].value == "Stan na 31.10.2026"
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert list(rows[0]) == PS_HEADER
    assert 60 <= len(rows) - 1 <= 80
    granted = [r[3] for r in rows[1:]]
    assert any(isinstance(g, datetime) for g in granted)
    assert any(isinstance(g, str) and DATE_PL.match(g) for g in granted)
    assert any(r[4] for r in rows[1:]) and not all(r[4] for r in rows[1:])


def test_unit_registers_follow_the_contract(root: Path) -> None:
    """docs/inputs.md: one register per kind of unit, one row per unit (CIS with one row twice),
    each in its office's encoding, separator and layout."""
    cis = (root / "cis_register/rejestr_cis_2026-10-31.csv").read_bytes()
    assert cis.startswith(b"\xef\xbb\xbf") and cis.count(b"\n") > cis.count(b"\r\n")
    rows = list(csv.reader(io.StringIO(cis.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0][:3] == ["Lp.", "Nazwa pełna jednostki", "REGON"] and len(rows) == 1 + 16
    assert all("\n" in r[3] for r in rows[1:])  # the address breaks a line inside quotes
    assert len({tuple(r[1:]) for r in rows[1:]}) == 15

    kis = xlsx_values(root / "kis_register/wykaz_kis_2026-10-31.xlsx")["Wykaz KIS"]
    assert kis[0][:3] == ("Lp.", "Nazwa pełna klubu", "Miejscowość") and len(kis) == 1 + 20
    assert any(isinstance(r[6], int) for r in kis[1:])  # a start date as a bare serial number
    assert any(r[4] is None for r in kis[1:])  # the gmina left to the town

    workbook = openpyxl.load_workbook(root / "zaz_register/rejestr_zaz_2026-10-31.xlsx")
    zaz = workbook["UW SIZAZ 01"]
    assert {"A1:M1", "A2:M2", "G4:H4", "I4:J4", "B4:B5"} <= {str(r) for r in zaz.merged_cells}
    assert zaz["G5"].value == "Data przyznania statusu ZAZ" and zaz.max_row == 5 + 10

    wtz = (root / "wtz_register/wykaz_wtz_2026-10-31.csv").read_bytes()
    assert b"\r\n" not in wtz
    lines = wtz.decode("cp1250").splitlines()
    assert lines[0].startswith("Lp.,Nazwa pełna jednostki,REGON,") and len(lines) == 1 + 40


def test_owes_headlines_agree_with_their_detail(root: Path) -> None:
    paths = sorted((root / "owes").iterdir())
    assert len(paths) == 4 * 43
    for path in paths:
        assert re.fullmatch(r"owes_OWES-[1-4]_20\d\dQ[1-4]\.xlsx", path.name)
        values = xlsx_values(path)
        headline, detail = values["Wskaźniki"], values["Podmioty wsparte"]
        assert headline[1][1] == path.name.split("_")[1]
        assert headline[4] == ("Lp.", "Nazwa wskaźnika", "Wartość w okresie")
        assert detail[0] == ("Lp.", "Nazwa podmiotu", "Numer KRS", "NIP", "Data wsparcia")
        assert headline[5][2] == len(detail) - 1
        assert headline[6][2] <= headline[5][2]


def test_activity_log_holds_the_documented_figures(root: Path) -> None:
    sheets = xlsx_values(root / ACTIVITY_LOG)
    assert list(sheets) == ["Posiedzenia RKRES", "Wsparcie JST", "Wydarzenia", "Uczestnicy",
                            "JST z klauzulami", "Zamówienia i zlecenia", "Zakup Prospołeczny",
                            "Wizyty studyjne"]

    meetings = sheets["Posiedzenia RKRES"][1:]
    per_year = Counter(r[1].year for r in meetings)
    assert sorted(per_year) == list(range(2016, 2027))
    assert [y for y, n in per_year.items() if n < 2] == [2020]

    support = sheets["Wsparcie JST"][1:]
    in_project = [r for r in support if 2018 <= r[3].year <= 2020]
    assert len(in_project) == 19
    assert len({r[0] for r in in_project}) == 17
    assert all(r[0].startswith("28") and len(r[0]) in (4, 7) for r in support)
    assert len(support) > len(in_project)

    events = {r[0]: r for r in sheets["Wydarzenia"][1:]}
    visits = {(r[3].year, r[4]) for r in events.values() if r[2] == "wizyta studyjna"}
    assert {(2018, "Włochy"), (2019, "Austria"), (2020, "Hiszpania")} <= visits
    days = [r[3].year for r in events.values() if r[2] == "Dni Ekonomii Społecznej"]
    assert days == list(range(2016, 2027))

    participants = sheets["Uczestnicy"][1:]
    valid = [r for r in participants if r[1] and pesel_ok(r[1])]
    assert 0.005 <= 1 - len(valid) / len(participants) <= 0.02
    assert 550 <= len({r[1] for r in valid}) <= 600
    assert all((int(r[1][9]) % 2 == 0) == (r[4] == "K") for r in valid)
    attendance = Counter(r[0] for r in participants)
    rkres = [e for e in events.values() if e[2] == "posiedzenie RKRES"]
    assert [attendance[e[0]] for e in rkres] == [sum(m[2:]) for m in meetings]


def test_truth_maps_every_catalogue_row_to_an_entity(root: Path) -> None:
    """Every entity but the rural housewives' circles is in the catalogue; the circles are in
    the KGW register only (240 circles, 241 rows: one repeated)."""
    with (root / "_truth/source_rows.csv").open(encoding="utf-8", newline="") as handle:
        source_rows = list(csv.DictReader(handle))
    rows = [r for r in source_rows if r["source"] == "pes_catalogue"]
    assert [int(r["row"]) for r in rows] == list(range(1, len(catalogue_rows(root))))
    with (root / "_truth/entities.csv").open(encoding="utf-8", newline="") as handle:
        types = {r["entity_id"]: r["typ"] for r in csv.DictReader(handle)}
    assert {r["entity_id"] for r in rows} == {e for e, typ in types.items() if typ != "KGW"}
    circles = [r["entity_id"] for r in source_rows if r["source"] == "kgw_register"]
    assert len(circles) == 241
    assert set(circles) == {e for e, typ in types.items() if typ == "KGW"}
    assert len(set(circles)) == 240
    with (root / "_truth/active_by_month.csv").open(encoding="utf-8", newline="") as handle:
        assert len(list(csv.DictReader(handle))) == 130 * 8  # 7 types of the catalogue and KGW


# --- every path the generator writes is a path of the real API --------------------------------

REAL_KRS = Path(__file__).resolve().parents[1] / "data" / "reference" / "krs"
#: What data/reference/krs/SOURCES.md and issue 15 say of the shapes no real file here shows:
#: the items of every PKD list have the fields of `nieodplatnyPkd`'s (the real S extract's
#: `odplatnyPkd` is empty), and a full extract's header `naglowekP` holds only these fields.
DOCUMENTED_PKD_FIELDS = ("opis", "kodDzial", "kodKlasa", "kodPodklasa")
PKD_LISTS = ("przedmiotDzialalnosci.przedmiotPrzewazajacejDzialalnosci",
             "przedmiotDzialalnosci.przedmiotPozostalejDzialalnosci",
             "przedmiotDzialalnosciOPP.odplatnyPkd", "przedmiotDzialalnosciOPP.nieodplatnyPkd")
FULL_HEADER = {"odpis.naglowekP", *(f"odpis.naglowekP.{f}" for f in (
    "rejestr", "numerKRS", "dataCzasOdpisu", "stanZDnia", "wpis", "stanPozycji")),
    *(f"odpis.naglowekP.wpis[].{f}" for f in (
        "numerWpisu", "opis", "dataWpisu", "sygnaturaAktSprawyDotyczacejWpisu",
        "oznaczenieSaduDokonujacegoWpisu", "dataUprawomocnienia"))}
#: A full extract writes each value as a list of its versions, each version its value under
#: the field's own name with the entries that brought it in and removed it, and PKD codes in
#: groups (`pozycja`): these are read back to the current extract's path.
VERSION_FIELDS = {"nrWpisuWprow", "nrWpisuWykr"}


def json_paths(value: object, prefix: str = "") -> set[str]:
    """Every path of a JSON document: keys joined by dots, list items as `[]`."""
    found = set()
    if isinstance(value, dict):
        for key, item in value.items():
            path = f"{prefix}.{key}" if prefix else key
            found |= {path, *json_paths(item, path)}
    elif isinstance(value, list):
        for item in value:
            found |= json_paths(item, f"{prefix}[]")
    return found


def as_current_path(path: str) -> str | None:
    """A full extract's `dane` path written as the current extract writes it (None for the
    bookkeeping of versions): `nazwa[].nazwa` -> `nazwa`, `siedziba[].kraj` -> `siedziba.kraj`,
    `przedmiot...[].pozycja[].kodDzial` -> `przedmiot...[].kodDzial`."""
    parts = path.replace("[].pozycja[]", "[]").split(".")
    if parts[-1] in VERSION_FIELDS | {"pozycja"}:
        return None
    written = []
    for part in parts:
        name = part.removesuffix("[]")
        if written and written[-1] == f"{name}[]":
            written[-1] = name  # a value's version under the value's own name
        else:
            written.append(part)
    current = ".".join(written)
    # lists of versions of a structure (siedziba[], adres[]...) are single structures
    for versioned in ("siedziba", "adres", "przedmiotDzialalnosci", "przedmiotDzialalnosciOPP",
                      "celDzialaniaOrganizacji", "reprezentacja"):
        current = current.replace(f"{versioned}[]", versioned)
    return current


def real_paths() -> set[str]:
    paths = set()
    for path in REAL_KRS.glob("current-*.json"):
        paths |= json_paths(json.loads(path.read_text(encoding="utf-8")))
    for pkd_list in PKD_LISTS:
        paths |= {f"odpis.dane.dzial3.{pkd_list}"} | {
            f"odpis.dane.dzial3.{pkd_list}[].{f}" for f in DOCUMENTED_PKD_FIELDS}
    return paths


def test_every_krs_path_the_generator_writes_is_a_real_one(root: Path) -> None:
    """Each generated shape (current extract; full extract; full extract with empty `dane`)
    against the real responses: a path the real API does not have fails."""
    real = real_paths()
    shapes: dict[str, set[str]] = {"current": set(), "full": set(), "full without data": set()}
    for path in sorted((root / "krs").iterdir()):
        document = json.loads(path.read_text(encoding="utf-8"))
        paths = json_paths(document)
        if "naglowekA" in document["odpis"]:
            shapes["current"] |= paths
        else:
            kind = "full" if document["odpis"]["dane"] else "full without data"
            shapes[kind] |= {p if not p.startswith("odpis.dane") else as_current_path(p)
                             for p in paths} - {None}
    assert all(shapes.values())
    for kind, paths in shapes.items():
        header = FULL_HEADER if kind != "current" else set()
        assert sorted(paths - real - header) == [], kind
    assert "odpis.naglowekP.dataRejestracjiWKRS" not in shapes["full"]
    # the generated paths of a current extract that no real one has, and the real ones used
    assert {"odpis.naglowekA.dataRejestracjiWKRS", "odpis.dane.dzial1.siedzibaIAdres.siedziba"
            ".wojewodztwo"} <= shapes["current"]
