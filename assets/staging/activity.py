"""Staging of the project's activity log: one table per sheet (docs/inputs.md).

The workbook was pseudonymised before landing; attendance rows carry a person pseudonym and
the PESEL's check status, never the PESEL. Attendances without a valid PESEL are quarantined
from `participation` (by line and reason) and kept, without any identifier, in
`unidentified_attendance`, so they are counted as unidentified and never merged with anyone.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from assets.reference import region_reference, region_units
from assets.settings import MonitorSettings
from assets.staging.flow import StagingSpec
from quality import rules
from quality.identifiers import digits_only, normalise_krs
from quality.names import name_key
from quality.quarantine import RowRule
from sources import activity_log
from sources.cells import (
    parse_decimals,
    with_parsed,
    with_parsed_dates,
    with_written_text,
    written_text,
)
from sources.mapping import load_mapping

GROSZ = Decimal("0.01")
#: Members present at an RKRES meeting by sector, one count per column of the meeting sheet.
PRESENT = ["present_public", "present_pes", "present_business", "present_science"]


def with_codes(raw: pd.DataFrame, table: str, column: str) -> pd.DataFrame:
    """`<column>` coded by the table's lookup and `<column>_label` in official wording, from
    the written `<column>_pl`."""
    mapping = load_mapping(table)
    codes = mapping.lookup(column, raw[f"{column}_pl"])
    return raw.assign(**{column: codes,
                         f"{column}_label": mapping.lookup(f"{column}_label", codes)})


def with_jst_unit(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    """A JST code must be a unit of the region: the region (2), a powiat (4) or a gmina (7);
    a gmina's code before its town got town rights is read as its code now."""
    code = written_text(raw["jst_terc"]).replace(region_reference(settings).former_codes)
    return raw.assign(jst_terc=code, jst_known=code.isin(set(region_units(settings)["terc"])))


def whole_numbers(values: pd.Series) -> pd.Series:
    """Counts as written (`12`, `12,0`, a numeric cell); missing unless a whole number."""
    numbers = parse_decimals(values)
    return numbers.where(numbers == numbers.round()).astype("Int64")


def amounts_pln(values: pd.Series) -> pd.Series:
    """Amounts in złoty as exact decimals with grosze; missing unless at most two decimals.

    `12,345` with a decimal comma is twelve złoty and a fraction of a grosz: a typo (a
    thousands separator written as a comma), so it is not rounded but rejected.
    """
    numbers = parse_decimals(values)
    in_grosze = (numbers * 100).round()
    exact = (numbers * 100 - in_grosze).abs() < 1e-6
    return pd.Series([Decimal(int(g)) * GROSZ if ok else None
                      for g, ok in zip(in_grosze, exact & numbers.notna(), strict=True)],
                     index=values.index, dtype="object")


def with_event_ids(raw: pd.DataFrame) -> pd.DataFrame:
    """Event ids as text: one sheet may hold `7`, another `7.0` or `E7`."""
    return with_written_text(raw, "event_id")


def prepare_meetings(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    """The meeting's number and the members present by sector as whole numbers, each beside
    the text written: a number Excel took for a date arrives as a date cell."""
    return with_parsed(with_parsed_dates(raw, "met_on"), ["meeting_number", *PRESENT],
                       whole_numbers)


def prepare_jst_support(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    named = with_written_text(raw, "jst_name")
    return with_parsed_dates(with_jst_unit(named, settings), "started_on", "ended_on").assign(
        support_kind=load_mapping("jst_support").lookup("support_kind", raw["support_kind_pl"]),
    )


def prepare_social_clauses(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    named = with_written_text(raw, "jst_name", "act")
    return with_parsed_dates(with_jst_unit(named, settings), "adopted_on")


def prepare_contracts(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    named = with_written_text(raw, "jst_name")
    typed = with_codes(with_jst_unit(named, settings), "pes_contract", "contract_kind")
    return with_parsed(with_parsed(typed, ["year", "contracts"], whole_numbers),
                       ["value_pln"], amounts_pln)


def prepare_certificates(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    """`entity_key`: one entity by its KRS, else its NIP, else its name's matching key."""
    named = with_written_text(raw, "entity_name", "product")
    krs, nip = normalise_krs(raw["krs"]), digits_only(raw["nip"])
    key = ("KRS:" + krs).fillna("NIP:" + nip).fillna("NAME:" + name_key(named["entity_name"]))
    return with_parsed_dates(named.assign(krs=krs, nip=nip, entity_key=key),
                             "granted_on", "valid_until")


def prepare_visits(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    named = with_written_text(with_event_ids(raw), "visit_name", "country", "place")
    return with_parsed(with_parsed_dates(named, "started_on", "ended_on"), ["participants"],
                       whole_numbers)


def prepare_events(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    named = with_written_text(with_event_ids(raw), "event_name", "place")
    events = with_codes(named, "project_event", "event_kind")
    return with_parsed_dates(events, "held_on")


def prepare_participation(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    named = with_written_text(with_event_ids(raw), "institution")
    typed = with_codes(named, "participation", "institution_type")
    return typed.assign(sex=raw["sex"].astype("string").str.strip().str.upper(),
                        institution_key=name_key(named["institution"]))


def prepare_unidentified(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    """No person key: the reason the person could not be identified instead."""
    reason = raw["pesel_status"].map({activity_log.PESEL_STATUS["missing"]: "missing_pesel",
                                      activity_log.PESEL_STATUS["invalid"]: "invalid_pesel"})
    return prepare_participation(raw, settings).drop(columns="person_key").assign(reason=reason)


def whole_number(column: str, label: str, low: int = 0) -> RowRule:
    return RowRule(f"{column}_text", "invalid_number",
                   f"{label}: oczekiwano liczby całkowitej nie mniejszej niż {low}.",
                   lambda f: ~(f[column] >= low).fillna(False).astype(bool))


KNOWN_JST = RowRule("jst_terc", "unknown_teryt_unit",
                    "Kod TERYT JST nie jest jednostką tego województwa.", lambda f: ~f["jst_known"])
DUPLICATE_EVENT = RowRule("event_id", "duplicate_key",
                          "Ten sam identyfikator ma kilka wydarzeń; uczestników nie da się "
                          "przypisać.",
                          lambda f: f["event_id"].notna() & f["event_id"].duplicated(keep=False))

meeting_spec = StagingSpec(
    table="rkres_meeting",
    label_pl="Posiedzenia RKRES",
    landing_source="activity",
    read=activity_log.read_rkres_meetings,
    prepare=prepare_meetings,
    # No rule on the meeting's number: a meeting counts by its date, and a number written
    # otherwise (`III`) keeps its text; a count of members present that is written must read.
    rules=[*rules.required_date("met_on", "Data posiedzenia"),
           *(rules.readable_number(f"{c}_text", c, load_mapping("rkres_meeting").label(c),
                                   whole=True) for c in PRESENT)],
    description="Meetings of the Regional Committee for Social Economy Development (RKRES).",
)

jst_support_spec = StagingSpec(
    table="jst_support",
    label_pl="Wsparcie eksperckie JST",
    landing_source="activity",
    read=activity_log.read_jst_support,
    prepare=prepare_jst_support,
    rules=[
        KNOWN_JST,
        rules.known_value("support_kind_pl", "support_kind", "Rodzaj wsparcia"),
        *rules.required_date("started_on", "Data rozpoczęcia"),
        rules.readable_date("ended_on_text", "ended_on", "Data zakończenia"),
    ],
    description="Expert support given to local governments (JST), one row per support.",
)

social_clause_spec = StagingSpec(
    table="jst_social_clause",
    label_pl="JST stosujące klauzule społeczne",
    landing_source="activity",
    read=activity_log.read_jst_social_clauses,
    prepare=prepare_social_clauses,
    rules=[
        KNOWN_JST,
        *rules.required_date("adopted_on", "Data przyjęcia"),
    ],
    description="Local governments (JST) that adopted social clauses, one row per act.",
)

contract_spec = StagingSpec(
    table="pes_contract",
    label_pl="Zamówienia z klauzulami i zadania zlecone PES",
    landing_source="activity",
    read=activity_log.read_pes_contracts,
    prepare=prepare_contracts,
    rules=[
        KNOWN_JST,
        rules.known_value("contract_kind_pl", "contract_kind", "Rodzaj"),
        whole_number("year", "Rok", low=2000),
        whole_number("contracts", "Liczba umów"),
        RowRule("value_pln_text", "invalid_amount",
                "Wartość w złotych: oczekiwano kwoty nieujemnej z najwyżej dwoma miejscami po "
                "przecinku (np. 12 345,67).",
                lambda f: f["value_pln"].isna() | (f["value_pln"].map(
                    lambda v: v is not None and v < 0))),
    ],
    description="Contracts with social clauses and public tasks commissioned to PES per JST, "
                "year and kind: count and value in PLN (exact, two decimals).",
)

certificate_spec = StagingSpec(
    table="prosocial_certificate",
    label_pl="Znak „Zakup Prospołeczny”",
    landing_source="activity",
    read=activity_log.read_prosocial_certificates,
    prepare=prepare_certificates,
    rules=[
        rules.required("entity_name", "Nazwa podmiotu"),
        rules.valid_krs(),
        rules.valid_nip(),
        *rules.required_date("granted_on", "Data przyznania"),
        *rules.required_date("valid_until", "Ważny do"),
        rules.ordered_dates("granted_on", "valid_until"),
    ],
    description="Certificates \"Zakup Prospołeczny\" granted to PES: granted on, valid until.",
)

visit_spec = StagingSpec(
    table="study_visit",
    label_pl="Wizyty studyjne",
    landing_source="activity",
    read=activity_log.read_study_visits,
    prepare=prepare_visits,
    rules=[
        *rules.required_date("started_on", "Data rozpoczęcia"),
        rules.readable_date("ended_on_text", "ended_on", "Data zakończenia"),
        rules.ordered_dates("started_on", "ended_on"),
        rules.required("country", "Kraj"),
        whole_number("participants", "Liczba uczestników"),
    ],
    description="Study visits: dates, country and number of participants.",
)

event_spec = StagingSpec(
    table="project_event",
    label_pl="Wydarzenia projektu",
    landing_source="activity",
    read=activity_log.read_events,
    prepare=prepare_events,
    rules=[rules.required("event_id", "Id wydarzenia"),
           DUPLICATE_EVENT,
           rules.known_value("event_kind_pl", "event_kind", "Rodzaj wydarzenia"),
           *rules.required_date("held_on", "Data")],
    description="Events held by the project: committee meetings, the days of social economy, "
                "networking of the cooperation platform and of the OWES network, study visits.",
)

participation_spec = StagingSpec(
    table="participation",
    label_pl="Uczestnicy wydarzeń (pseudonimizowani)",
    landing_source="activity",
    read=activity_log.read_participants,
    prepare=prepare_participation,
    rules=[
        RowRule("PESEL", "missing_pesel", "Brak numeru PESEL; osoba niezidentyfikowana.",
                lambda f: f["pesel_status"] == activity_log.PESEL_STATUS["missing"]),
        RowRule("PESEL", "invalid_pesel", "PESEL z błędną cyfrą kontrolną lub datą urodzenia; "
                "osoba niezidentyfikowana.",
                lambda f: f["pesel_status"] == activity_log.PESEL_STATUS["invalid"]),
        RowRule("Płeć", "unknown_value", "Płeć inna niż K lub M.",
                lambda f: ~f["sex"].isin(["K", "M"])),
        rules.known_value("institution_type_pl", "institution_type", "Typ instytucji"),
    ],
    description="Attendances at events, by person pseudonym (HMAC of PESEL), sex and institution.",
)

unidentified_spec = StagingSpec(
    table="unidentified_attendance",
    label_pl="Uczestnicy niezidentyfikowani (bez PESEL lub z błędnym)",
    landing_source="activity",
    read=activity_log.read_unidentified_attendances,
    prepare=prepare_unidentified,
    rules=[],
    description="Attendances whose PESEL was missing or invalid: no identifier at all, the "
                "event, sex and institution type only; counted as unidentified persons.",
)

activity_specs = [meeting_spec, jst_support_spec, social_clause_spec, contract_spec,
                  certificate_spec, visit_spec, event_spec, participation_spec, unidentified_spec]
