"""Deterministic, seeded generator of the bundled sample inputs (docs/inputs.md) and their truth.

PES Monitor has no real register exports to ship, so it ships a synthetic region that looks like
Warmińsko-Mazurskie (real gminas and powiats, real population weights) and has the mess of real
files, plus the ground truth, so that every stage of the pipeline can be checked against known
answers. `generate_sample(out_dir, region="28")` writes the inbox layout of docs/inputs.md for
any voivodeship (its units from the national TERC list of 2022; for a region other than 28 the
powiats are weighed by their number of gminas, the four OWES split its powiats in code order and
the institutions are named after the region; the figures below hold for region 28):

- `pes_catalogue/katalog_pes_<as_of>.csv` the regional catalogue (CP-1250, `;`, CRLF);
- `social_enterprises/rejestr_ps_<as_of>.xlsx` the register of social enterprises;
- `krs/odpis_aktualny_<KRS>.json`, `krs/odpis_pelny_<KRS>.json` KRS extracts (API shape);
- `owes/owes_<OWES-n>_<YYYY>Q<q>.xlsx` quarterly OWES reports, 2016 Q1 to the last full quarter;
- `cis_register/rejestr_cis_<as_of>.csv`, `kis_register/wykaz_kis_<as_of>.xlsx`,
  `zaz_register/rejestr_zaz_<as_of>.xlsx`, `wtz_register/wykaz_wtz_<as_of>.csv` the registers of
  the units, each in its office's format (see `sample_data/unit_registers.py`);
- `kgw_register/rejestr_kgw_<as_of>.xlsx` the region's extract of the National Register of Rural
  Housewives' Circles (see `sample_data/kgw_register.py`);
- `activity/dziennik_dzialan_<as_of>.xlsx` the project's activity log;
- `_truth/` what is true: `entities.csv` (the population), `source_rows.csv` (every source row
  and the entity it describes), `invalid_ids.csv` (the identifiers wrong on purpose),
  `participants.csv` (every participant row and its person), `active_by_month.csv` (entities
  active at each month end by type), `summary.json` (the figures below, for any seed),
  `manifest.txt` (the files written; the next run removes them before writing anew).

Only `random.Random` streams seeded from `seed` are used and workbooks carry a save time derived
from `as_of`, so one seed gives byte-identical files on every run and machine.

True figures of the sample (the same for every seed unless marked "seed 28"; as_of 2026-10-31):

- entities: 2 100 stowarzyszenie, 900 fundacja, 100 spółdzielnia socjalna, 15 CIS, 20 KIS,
  10 ZAZ, 40 WTZ (3 185), and 240 KGW drawn apart; closed since 2016: 380, 135, 28, 1, 2, 0, 1
  and 12 KGW (struck off the KGW register); every closed NGO or
  cooperative (543) has a full KRS extract ending in WYKREŚLENIE, the other 2 557 a current one.
- KRS shapes (sample_data/krs_extracts.py): full extracts without `dataRejestracjiWKRS`, about
  30 % with an empty `dane`; about 20 % of PKD codes at group level; 6 NGOs with a current
  extract whose KRS seat is outside the region (`krs_seats_outside_region_numbers` in
  `_truth/summary.json`): the pipeline does not count them.
- catalogue: 3 313 rows = 3 185 entities + 64 exact duplicate rows (all but `Lp.`) + 64 rows
  repeating a KRS entity under another spelling (same KRS); 3 124 rows of NGOs (seed 28);
  8 NIP and 8 REGON with a wrong check digit (16 rows, 0.48 %), all listed in
  `_truth/invalid_ids.csv`; every other NIP and REGON in every file is valid (the KRS extracts
  write a 9-digit REGON padded with `00000` to 14 digits, as the real API does).
- catalogue gminas: the TERC name (2022), with `- gmina wiejska` added for a rural gmina that
  shares its name with the urban gmina beside it, so every row's gmina can be found.
- unit registers: CIS 16 rows (the 15 centres, one twice), KIS 20, ZAZ 10, WTZ 40, with the
  founders' KRS, NIP and REGON of the population; rows a reader must reject: KIS 1 (a mistyped
  gmina), WTZ 2 (a name with an unquoted comma; a founder's REGON with a wrong check digit,
  listed in `_truth/invalid_ids.csv`); every other row is readable and its places resolve.
- KGW register: 241 rows (the 240 circles, one twice), entered from 29.11.2018; the circles
  entered in the last 60 days without REGON or NIP, 3 in liquidation; a reader rejects none.
- social enterprises: 70 rows (55 cooperatives, 15 NGOs), granted 2016..2026; 27 lost
  (seed 28: the 21 that closed and 6 whose status expired).
- OWES: 4 centres x 43 quarters (2016 Q1..2026 Q3) = 172 reports, 1 962 supported rows
  (seed 28); the number of entities supported equals the rows of `Podmioty wsparte`, the social
  enterprises created equal the listed entities granted the status in that quarter (69 of the
  70 grants fall in a reported quarter, seed 28).
- RKRES meetings: 2016: 2, 2017: 3, 2018: 3, 2019: 2, 2020: 1 (the one year under the target
  of 2), 2021: 2, 2022: 3, 2023: 2, 2024: 2, 2025: 3, 2026: 2 (25 in all).
- JST expert support: 19 rows in 2018-2020 for 17 distinct JST (13 gminas with 7-digit TERC,
  4 powiats with 4-digit TERC; 2 JST supported twice), then 6 rows in 2021-2026 (3 JST new,
  3 supported again): 25 rows, 20 distinct JST.
- events: one "Warmińsko-Mazurskie Dni z Ekonomią Społeczną" a year 2016-2026, 3 networking
  meetings a year, 2 trainings a year from 2017, OWES-network and science-business meetings,
  6 study visits (Italy 2018, Austria 2019, Spain 2020 and three in Poland), and each RKRES
  meeting.
- OWES jobs sheet: 169 job rows; 48 reports in the earlier template; 6 reports whose headline
  disagrees with their detail sheets on purpose (see `_truth/summary.json`).
- participants: 600 distinct persons with synthetic PESEL (birth date and sex encoded) in
  2 658 rows (seed 28), most of them at two events or more; each RKRES meeting's participant
  rows equal its `Obecni` counts; 12 rows with an empty PESEL and 13 with a mistyped one
  (about 1 % of the rows).
"""

from datetime import date
from pathlib import Path

from sample_data.activity_log import write_activity_log
from sample_data.catalogue import write_catalogue
from sample_data.entities import TYPE_COUNTS, build_entities
from sample_data.kgw_register import build_circles, write_kgw_register
from sample_data.krs_extracts import write_extracts
from sample_data.owes_reports import centre_of, centres, write_reports
from sample_data.social_enterprises import draw_statuses, write_register
from sample_data.territory import load_territory
from sample_data.truth import TRUTH_DIR, SourceOutput, write_truth
from sample_data.unit_registers import write_unit_registers
from sample_data.xlsx import save_stamp
from sources.registry import sample_folders

__all__ = ["DEFAULT_REGION", "DEFAULT_TERYT_CSV", "generate_sample"]

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "data" / "reference"
#: The national TERC list the sample's places come from (its 2022 names, as offices write them).
DEFAULT_TERYT_CSV = REFERENCE_DIR / "teryt" / "terc_PL_2022-01-01.csv"
DEFAULT_REGION = "28"
#: Population per powiat, bundled for region 28 only (elsewhere: by number of gminas).
POPULATION_CSVS = {"28": REFERENCE_DIR / "population" / "population_powiaty_28_unverified_year.csv"}
MANIFEST = f"{TRUTH_DIR}/manifest.txt"


def _remove_previous(out_dir: Path) -> None:
    """Removes the files of the previous sample listed in its manifest, and nothing else: a
    sample of another seed has other KRS numbers, and stale extracts would join the new ones."""
    manifest = out_dir / MANIFEST
    if not manifest.exists():
        return
    root = out_dir.resolve()
    for line in manifest.read_text(encoding="utf-8").splitlines():
        path = (out_dir / line).resolve()
        if line and path.is_relative_to(root) and path.is_file():
            path.unlink()


def generate_sample(out_dir: Path, teryt_csv: Path = DEFAULT_TERYT_CSV, *, seed: int = 28,
                    as_of: date = date(2026, 10, 31),
                    region: str = DEFAULT_REGION, scale: float = 1.0) -> dict[str, int]:
    """Writes the sample inbox of one region (TERYT code, its units from `teryt_csv`) and its
    truth under `out_dir`; returns files and rows per source. `scale` multiplies the number of
    entities (sample_data/entities.py; the figures above hold at 1.0; sample_data/national.py
    uses it for a country's worth of regions).

    The keys are `<source>_files` and `<source>_rows` for `pes_catalogue`, `social_enterprises`,
    `krs` (one row per extract), `owes` (rows of `Podmioty wsparte`) and `activity` (rows of all
    four sheets), and `truth_files`.
    """
    out_dir, teryt_csv = Path(out_dir), Path(teryt_csv)
    _remove_previous(out_dir)
    territory = load_territory(teryt_csv, region, POPULATION_CSVS.get(region))
    region_centres = centres(territory)
    entities = build_entities(seed, territory, as_of, scale)
    circles = build_circles(seed, territory, as_of, entities)
    statuses = draw_statuses(seed, entities, as_of)
    stamp = save_stamp(as_of)
    outputs: dict[str, SourceOutput] = {
        "pes_catalogue": write_catalogue(seed, entities, territory, out_dir, as_of),
        "social_enterprises": write_register(seed, statuses, territory.name_pl, out_dir, as_of,
                                             stamp),
        "krs": write_extracts(seed, entities, territory.name, out_dir, as_of),
        "owes": write_reports(seed, entities, statuses, region_centres, out_dir, as_of, stamp),
        **write_unit_registers(seed, entities, territory, out_dir, as_of, stamp),
        "kgw_register": write_kgw_register(seed, circles, territory, out_dir, as_of, stamp),
    }
    outputs["activity"], participants = write_activity_log(seed, territory, entities, out_dir,
                                                           as_of, stamp)
    missing = set(sample_folders()) - set(outputs)
    if missing:
        raise ValueError(f"sources/registry.yml lists {sorted(missing)}, for which the sample "
                         "generator writes no files: add a writer in sample_data/")

    extra = {e.entity_id: {"owes": centre_of(e, region_centres).code} for e in entities}
    for status in statuses:
        extra[status.entity.entity_id] |= {
            "ps_decision": status.decision,
            "ps_granted": status.granted.isoformat(),
            "ps_lost": "" if status.lost is None else status.lost.isoformat(),
        }
    ngo_ids = {e.entity_id for e in entities if e.register == "S"}
    entities = entities + circles  # the truth holds the circles too
    summary: dict[str, object] = {
        "seed": seed,
        "as_of": as_of.isoformat(),
        "entities_by_type": {k: sum(1 for e in entities if e.kind == k) for k in TYPE_COUNTS},
        "closed_by_type": {k: sum(1 for e in entities if e.kind == k and e.end is not None)
                           for k in TYPE_COUNTS},
        "active_at_as_of_by_type": {k: sum(1 for e in entities if e.kind == k
                                           and e.active_on(as_of)) for k in TYPE_COUNTS},
        "catalogue_rows_of_ngos": sum(1 for r in outputs["pes_catalogue"].source_rows
                                      if r.entity_id in ngo_ids),
    }
    for output in outputs.values():
        summary |= output.figures
    truth_files = write_truth(out_dir, entities, outputs, extra, participants, summary, as_of)

    written = [f for output in outputs.values() for f in output.files] + truth_files
    (out_dir / MANIFEST).write_text("\n".join([*written, MANIFEST]) + "\n", encoding="utf-8")
    counts = {}
    for name, output in outputs.items():
        counts[f"{name}_files"] = len(output.files)
        counts[f"{name}_rows"] = output.rows
    counts["truth_files"] = len(truth_files) + 1
    return counts

