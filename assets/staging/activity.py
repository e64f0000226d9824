"""Staging of the project's activity log: one table per sheet (docs/inputs.md).

The workbook was pseudonymised before landing; attendance rows carry a person pseudonym and
the PESEL's check status, never the PESEL. Attendances without a valid PESEL are quarantined
from `participation` (by line and reason) and kept, without any identifier, in
`unidentified_attendance`, so they are counted as unidentified and never merged with anyone.
"""

from __future__ import annotations

from functools import partial

import pandas as pd

from assets.reference import region_reference, region_units
from assets.settings import MonitorSettings
from assets.staging.flow import StagingSpec
from assets.staging.mapped_columns import typed_as_mapped
from quality import rules
from quality.names import name_key
from quality.quarantine import RowRule
from sources import activity_log
from sources.mapping import load_mapping

#: Members present at an RKRES meeting by sector, one count per column of the meeting sheet.
PRESENT = ["present_public", "present_pes", "present_business", "present_science"]


def prepare_sheet(raw: pd.DataFrame, settings: MonitorSettings, table: str) -> pd.DataFrame:
    """A sheet's columns typed as its mapping declares (`typed_as_mapped`): dates, whole
    numbers and amounts parsed beside the text written (a number Excel took for a date
    arrives as a date cell), ids and names as the text written, values coded by lookups."""
    return typed_as_mapped(raw, load_mapping(table))


def with_jst_unit(typed: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    """A JST code must be a unit of the region: the region (2), a powiat (4) or a gmina (7);
    a gmina's code before its town got town rights is read as its code now."""
    code = typed["jst_terc"].replace(region_reference(settings).former_codes)
    return typed.assign(jst_terc=code, jst_known=code.isin(set(region_units(settings)["terc"])))


def prepare_jst_sheet(raw: pd.DataFrame, settings: MonitorSettings, table: str) -> pd.DataFrame:
    """A sheet of local governments (JST): typed, its JST code checked against the region."""
    return with_jst_unit(prepare_sheet(raw, settings, table), settings)


def prepare_certificates(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    """`entity_key`: one entity by its KRS, else its NIP, else its name's matching key."""
    typed = prepare_sheet(raw, settings, "prosocial_certificate")
    key = ("KRS:" + typed["krs"]).fillna("NIP:" + typed["nip"]).fillna(
        "NAME:" + name_key(typed["entity_name"]))
    return typed.assign(entity_key=key)


def prepare_participation(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    typed = prepare_sheet(raw, settings, "participation")
    return typed.assign(sex=raw["sex"].astype("string").str.strip().str.upper(),
                        institution_key=name_key(typed["institution"]))


def prepare_unidentified(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    """No person key: the reason the person could not be identified instead."""
    reason = raw["pesel_status"].map({activity_log.PESEL_STATUS["missing"]: "missing_pesel",
                                      activity_log.PESEL_STATUS["invalid"]: "invalid_pesel"})
    return prepare_participation(raw, settings).drop(columns="person_key").assign(reason=reason)


def whole_number(column: str, label: str, low: int = 0) -> RowRule:
    return RowRule(f"{column}_text", "invalid_number",
                   f"{label}: oczekiwano liczby całkowitej nie mniejszej niż {low}.",
                   lambda f: ~(f[column] >= low).fillna(False).astype(bool))


MEETING, JST_SUPPORT, JST_CLAUSE, CONTRACT, CERTIFICATE, VISIT, EVENT, PARTICIPANT = map(
    load_mapping, ["rkres_meeting", "jst_support", "jst_social_clause", "pes_contract",
                   "prosocial_certificate", "study_visit", "project_event", "participation"])

#: The participants sheet's PESEL as the office heads it: what a rejected attendance points at.
PESEL = PARTICIPANT.personal["pesel"][0]
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
    prepare=partial(prepare_sheet, table="rkres_meeting"),
    # No rule on the meeting's number: a meeting counts by its date, and a number written
    # otherwise (`III`) keeps its text; a count of members present that is written must read.
    rules=[*rules.required_date("met_on", MEETING.label("met_on")),
           *(rules.readable_number(f"{c}_text", c, MEETING.label(c), whole=True)
             for c in PRESENT)],
    description="Meetings of the Regional Committee for Social Economy Development (RKRES).",
)

jst_support_spec = StagingSpec(
    table="jst_support",
    label_pl="Wsparcie eksperckie JST",
    landing_source="activity",
    read=activity_log.read_jst_support,
    prepare=partial(prepare_jst_sheet, table="jst_support"),
    rules=[
        KNOWN_JST,
        rules.known_value("support_kind_pl", "support_kind", JST_SUPPORT.label("support_kind_pl")),
        *rules.required_date("started_on", JST_SUPPORT.label("started_on")),
        rules.readable_date("ended_on_text", "ended_on", JST_SUPPORT.label("ended_on")),
    ],
    description="Expert support given to local governments (JST), one row per support.",
)

social_clause_spec = StagingSpec(
    table="jst_social_clause",
    label_pl="JST stosujące klauzule społeczne",
    landing_source="activity",
    read=activity_log.read_jst_social_clauses,
    prepare=partial(prepare_jst_sheet, table="jst_social_clause"),
    rules=[
        KNOWN_JST,
        *rules.required_date("adopted_on", JST_CLAUSE.label("adopted_on")),
    ],
    description="Local governments (JST) that adopted social clauses, one row per act.",
)

contract_spec = StagingSpec(
    table="pes_contract",
    label_pl="Zamówienia z klauzulami i zadania zlecone PES",
    landing_source="activity",
    read=activity_log.read_pes_contracts,
    prepare=partial(prepare_jst_sheet, table="pes_contract"),
    rules=[
        KNOWN_JST,
        rules.known_value("contract_kind_pl", "contract_kind", CONTRACT.label("contract_kind_pl")),
        whole_number("year", CONTRACT.label("year"), low=2000),
        whole_number("contracts", CONTRACT.label("contracts")),
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
        rules.required("entity_name", CERTIFICATE.label("entity_name")),
        rules.valid_krs(label=CERTIFICATE.label("krs")),
        rules.valid_nip(label=CERTIFICATE.label("nip")),
        *rules.required_date("granted_on", CERTIFICATE.label("granted_on")),
        *rules.required_date("valid_until", CERTIFICATE.label("valid_until")),
        rules.ordered_dates("granted_on", "valid_until"),
    ],
    description="Certificates \"Zakup Prospołeczny\" granted to PES: granted on, valid until.",
)

visit_spec = StagingSpec(
    table="study_visit",
    label_pl="Wizyty studyjne",
    landing_source="activity",
    read=activity_log.read_study_visits,
    prepare=partial(prepare_sheet, table="study_visit"),
    rules=[
        *rules.required_date("started_on", VISIT.label("started_on")),
        rules.readable_date("ended_on_text", "ended_on", VISIT.label("ended_on")),
        rules.ordered_dates("started_on", "ended_on"),
        rules.required("country", VISIT.label("country")),
        whole_number("participants", VISIT.label("participants")),
    ],
    description="Study visits: dates, country and number of participants.",
)

event_spec = StagingSpec(
    table="project_event",
    label_pl="Wydarzenia projektu",
    landing_source="activity",
    read=activity_log.read_events,
    prepare=partial(prepare_sheet, table="project_event"),
    rules=[rules.required("event_id", EVENT.label("event_id")),
           DUPLICATE_EVENT,
           rules.known_value("event_kind_pl", "event_kind", EVENT.label("event_kind_pl")),
           *rules.required_date("held_on", EVENT.label("held_on"))],
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
        RowRule(PESEL, "missing_pesel", "Brak numeru PESEL; osoba niezidentyfikowana.",
                lambda f: f["pesel_status"] == activity_log.PESEL_STATUS["missing"]),
        RowRule(PESEL, "invalid_pesel", "PESEL z błędną cyfrą kontrolną lub datą urodzenia; "
                "osoba niezidentyfikowana.",
                lambda f: f["pesel_status"] == activity_log.PESEL_STATUS["invalid"]),
        RowRule(PARTICIPANT.label("sex"), "unknown_value",
                f"{PARTICIPANT.label('sex')} inna niż K lub M.",
                lambda f: ~f["sex"].isin(["K", "M"])),
        rules.known_value("institution_type_pl", "institution_type",
                          PARTICIPANT.label("institution_type_pl")),
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
