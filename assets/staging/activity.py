"""Staging of the project's activity log: committee meetings, JST support, events, attendance.

The workbook was pseudonymised before landing; attendance rows carry a person pseudonym and
the PESEL's check status, never the PESEL.
"""

from __future__ import annotations

import pandas as pd

from assets.reference import region_units
from assets.settings import MonitorSettings
from assets.staging.flow import StagingSpec
from quality import rules
from quality.quarantine import RowRule
from sources import activity_log
from sources.cells import with_parsed_dates
from sources.mapping import load_mapping


def prepare_meetings(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    counts = {c: pd.to_numeric(raw[c], errors="coerce").astype("Int64")
              for c in raw.columns if c.startswith("present_")}
    return with_parsed_dates(raw, "met_on").assign(**counts)


def prepare_jst_support(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    """A JST code must be a unit of the region: the region (2), a powiat (4) or a gmina (7)."""
    code = raw["jst_terc"].astype("string").str.strip()
    known = set(region_units(settings)["terc"])
    return with_parsed_dates(raw, "started_on", "ended_on").assign(
        jst_terc=code,
        jst_known=code.isin(known),
        support_kind=load_mapping("jst_support").lookup("support_kind", raw["support_kind_pl"]),
    )


def prepare_events(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    return with_parsed_dates(raw, "held_on")


def prepare_participation(raw: pd.DataFrame, settings: MonitorSettings) -> pd.DataFrame:
    return raw.assign(sex=raw["sex"].str.strip().str.upper())


meeting_spec = StagingSpec(
    table="rkres_meeting",
    label_pl="Posiedzenia RKRES",
    landing_source="activity",
    read=activity_log.read_rkres_meetings,
    prepare=prepare_meetings,
    rules=[rules.required("met_on_text", "Data posiedzenia"),
           rules.readable_date("met_on_text", "met_on", "Data posiedzenia")],
    description="Meetings of the Regional Committee for Social Economy Development (RKRES).",
)

jst_support_spec = StagingSpec(
    table="jst_support",
    label_pl="Wsparcie eksperckie JST",
    landing_source="activity",
    read=activity_log.read_jst_support,
    prepare=prepare_jst_support,
    rules=[
        RowRule("jst_terc", "unknown_teryt_unit",
                "Kod TERYT JST nie jest jednostką tego województwa.", lambda f: ~f["jst_known"]),
        rules.known_value("support_kind_pl", "support_kind", "Rodzaj wsparcia"),
        rules.required("started_on_text", "Data rozpoczęcia"),
        rules.readable_date("started_on_text", "started_on", "Data rozpoczęcia"),
        rules.readable_date("ended_on_text", "ended_on", "Data zakończenia"),
    ],
    description="Expert support given to local governments (JST), one row per support.",
)

event_spec = StagingSpec(
    table="project_event",
    label_pl="Wydarzenia projektu",
    landing_source="activity",
    read=activity_log.read_events,
    prepare=prepare_events,
    rules=[rules.required("event_id", "Id wydarzenia"),
           rules.readable_date("held_on_text", "held_on", "Data")],
    description="Events held by the project: committee meetings, fairs, networking, visits.",
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
    ],
    description="Attendances at events, by person pseudonym (HMAC of PESEL), sex and institution.",
)

activity_specs = [meeting_spec, jst_support_spec, event_spec, participation_spec]
