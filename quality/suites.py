"""Great Expectations suites as code, run on pandas frames inside Dagster asset checks.

Row rules (quality/rules.py) already sent bad rows to quarantine; a suite checks the accepted
table as a whole, so that numbers computed from it cannot be wrong in a way no single row
shows (duplicates of a key, a column gone empty, codes outside the region). GX is imported
inside the functions: it takes seconds to import and only the checks need it. The context is
ephemeral, so nothing is written outside the project.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sources.registry import register_sources

PERSON_KEY = r"^[0-9a-f]{64}$"
# Columns whose values are never shown as examples, not even pseudonymised.
PERSONAL_COLUMNS = {"person_key"}
KRS_NUMBER = r"^[0-9]{10}$"
ENTITY_ID = r"^PES-[0-9A-F]{12}$"


@dataclass(frozen=True)
class SuiteOutcome:
    """What an analyst needs from a validation: passed or not, and which expectation failed."""

    success: bool
    failures: list[dict[str, Any]] = field(default_factory=list)
    evaluated: int = 0

    def metadata(self) -> dict[str, Any]:
        return {"expectations": self.evaluated, "failed": len(self.failures),
                "failures": self.failures}


@dataclass(frozen=True)
class SuiteContext:
    """The reference values suites compare against: the configured region's codes."""

    powiat_codes: list[str]
    unit_codes: list[str]
    entity_types: list[str]


Suite = Callable[[SuiteContext], list]


def pes_catalogue_suite(ctx: SuiteContext) -> list:
    import great_expectations as gx

    from quality.expectations import (
        ExpectColumnValuesToBeValidNip,
        ExpectColumnValuesToBeValidRegon,
    )

    return [
        gx.expectations.ExpectColumnValuesToNotBeNull(column="name"),
        gx.expectations.ExpectColumnValuesToBeInSet(column="entity_type",
                                                    value_set=ctx.entity_types),
        gx.expectations.ExpectColumnValuesToMatchRegex(column="krs", regex=KRS_NUMBER),
        ExpectColumnValuesToBeValidNip(column="nip"),
        ExpectColumnValuesToBeValidRegon(column="regon"),
        gx.expectations.ExpectColumnValuesToBeInSet(column="powiat_code",
                                                    value_set=ctx.powiat_codes),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="started_on"),
    ]


def social_enterprise_suite(ctx: SuiteContext) -> list:
    import great_expectations as gx

    from quality.expectations import ExpectColumnValuesToBeValidNip

    return [
        gx.expectations.ExpectColumnValuesToNotBeNull(column="name"),
        # one decision grants one status: a repeated number is a copy-paste error in the register
        gx.expectations.ExpectColumnValuesToBeUnique(column="decision_number"),
        ExpectColumnValuesToBeValidNip(column="nip"),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="granted_on"),
        gx.expectations.ExpectColumnValuesToBeInSet(column="powiat_code",
                                                    value_set=ctx.powiat_codes),
    ]


def krs_entity_suite(ctx: SuiteContext) -> list:
    import great_expectations as gx

    from quality.expectations import (
        ExpectColumnValuesToBeValidNip,
        ExpectColumnValuesToBeValidRegon,
    )

    return [
        gx.expectations.ExpectColumnValuesToMatchRegex(column="krs", regex=KRS_NUMBER),
        gx.expectations.ExpectColumnValuesToBeInSet(column="register", value_set=["P", "S"]),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="registered_on"),
        ExpectColumnValuesToBeValidNip(column="nip"),
        ExpectColumnValuesToBeValidRegon(column="regon"),
    ]


def jst_support_suite(ctx: SuiteContext) -> list:
    import great_expectations as gx

    return [
        gx.expectations.ExpectColumnValuesToBeInSet(column="jst_terc", value_set=ctx.unit_codes),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="started_on"),
    ]


def rkres_meeting_suite(ctx: SuiteContext) -> list:
    import great_expectations as gx

    return [
        gx.expectations.ExpectColumnValuesToNotBeNull(column="met_on"),
        *(gx.expectations.ExpectColumnValuesToBeBetween(column=c, min_value=0)
          for c in ("present_public", "present_pes", "present_business", "present_science")),
    ]


def participation_suite(ctx: SuiteContext) -> list:
    import great_expectations as gx

    return [
        gx.expectations.ExpectColumnValuesToNotBeNull(column="person_key"),
        gx.expectations.ExpectColumnValuesToMatchRegex(column="person_key", regex=PERSON_KEY),
        gx.expectations.ExpectColumnValuesToBeInSet(column="sex", value_set=["K", "M"]),
    ]


def owes_indicator_suite(ctx: SuiteContext) -> list:
    import great_expectations as gx

    return [
        gx.expectations.ExpectColumnValuesToNotBeNull(column="indicator"),
        gx.expectations.ExpectColumnValuesToBeBetween(column="value", min_value=0),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="quarter_start"),
    ]


def named_and_placed(ctx: SuiteContext) -> list:
    """What every register of record holds: a name, and a powiat and gmina of the region."""
    import great_expectations as gx

    return [
        gx.expectations.ExpectColumnValuesToNotBeNull(column="name"),
        gx.expectations.ExpectColumnValuesToBeInSet(column="powiat_code",
                                                    value_set=ctx.powiat_codes),
        gx.expectations.ExpectColumnValuesToBeInSet(column="gmina_code",
                                                    value_set=ctx.unit_codes),
    ]


def unit_register_suite(regon: bool) -> Suite:
    """A register of units (CIS, KIS, ZAZ, WTZ): placed in the region, founder identified."""

    def suite(ctx: SuiteContext) -> list:
        import great_expectations as gx

        from quality.expectations import (
            ExpectColumnValuesToBeValidNip,
            ExpectColumnValuesToBeValidRegon,
        )

        return [
            *named_and_placed(ctx),
            ExpectColumnValuesToBeValidNip(column="founder_nip"),
            gx.expectations.ExpectColumnValuesToMatchRegex(column="founder_krs", regex=KRS_NUMBER),
            *([ExpectColumnValuesToBeValidRegon(column="regon")] if regon else []),
        ]

    return suite


def jst_social_clause_suite(ctx: SuiteContext) -> list:
    import great_expectations as gx

    return [
        gx.expectations.ExpectColumnValuesToBeInSet(column="jst_terc", value_set=ctx.unit_codes),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="adopted_on"),
    ]


def pes_contract_suite(ctx: SuiteContext) -> list:
    import great_expectations as gx

    return [
        gx.expectations.ExpectColumnValuesToBeInSet(column="jst_terc", value_set=ctx.unit_codes),
        gx.expectations.ExpectColumnValuesToBeBetween(column="year", min_value=2000,
                                                      max_value=2100),
        gx.expectations.ExpectColumnValuesToBeBetween(column="contracts", min_value=0),
        gx.expectations.ExpectColumnValuesToBeBetween(column="value_pln", min_value=0),
    ]


def owes_detail_suite(ctx: SuiteContext) -> list:
    """A detail sheet of an OWES report: which centre and quarter, which entity."""
    import great_expectations as gx

    from quality.expectations import ExpectColumnValuesToBeValidNip

    return [
        gx.expectations.ExpectColumnValuesToNotBeNull(column="centre_code"),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="quarter_start"),
        gx.expectations.ExpectColumnValuesToMatchRegex(column="krs", regex=KRS_NUMBER),
        ExpectColumnValuesToBeValidNip(column="nip"),
    ]


def prosocial_certificate_suite(ctx: SuiteContext) -> list:
    import great_expectations as gx

    from quality.expectations import ExpectColumnValuesToBeValidNip

    return [
        gx.expectations.ExpectColumnValuesToNotBeNull(column="entity_name"),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="granted_on"),
        ExpectColumnValuesToBeValidNip(column="nip"),
    ]


def project_event_suite(ctx: SuiteContext) -> list:
    import great_expectations as gx

    return [
        gx.expectations.ExpectColumnValuesToNotBeNull(column="event_id"),
        gx.expectations.ExpectColumnValuesToBeUnique(column="event_id"),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="held_on"),
    ]


def study_visit_suite(ctx: SuiteContext) -> list:
    import great_expectations as gx

    return [
        gx.expectations.ExpectColumnValuesToNotBeNull(column="country"),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="started_on"),
        gx.expectations.ExpectColumnValuesToBeBetween(column="participants", min_value=0),
    ]


def krs_pkd_suite(ctx: SuiteContext) -> list:
    import great_expectations as gx

    return [
        gx.expectations.ExpectColumnValuesToMatchRegex(column="krs", regex=KRS_NUMBER),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="pkd_code"),
    ]


def legal_register_suite(ctx: SuiteContext) -> list:
    """A register of legal entities without KRS (NIP and REGON their keys): placed in the
    region, identifiers valid."""
    from quality.expectations import (
        ExpectColumnValuesToBeValidNip,
        ExpectColumnValuesToBeValidRegon,
    )

    return [
        *named_and_placed(ctx),
        ExpectColumnValuesToBeValidNip(column="nip"),
        ExpectColumnValuesToBeValidRegon(column="regon"),
    ]


def kgw_register_suite(ctx: SuiteContext) -> list:
    """The register of rural housewives' circles: a register of legal entities without KRS,
    each circle entered on a date and in a known status (a circle entered lately has neither
    NIP nor REGON yet, so those are checked only where given)."""
    import great_expectations as gx

    return [
        *legal_register_suite(ctx),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="registered_on"),
        gx.expectations.ExpectColumnValuesToBeInSet(column="status",
                                                    value_set=["active", "in_liquidation",
                                                               "closed"]),
    ]


#: The suites a register in sources/registry.yml can name as its `suite`.
REGISTER_SUITES: dict[str, Suite] = {
    "pes_catalogue": pes_catalogue_suite,
    "social_enterprise": social_enterprise_suite,
    "unit_register": unit_register_suite(regon=True),
    "unit_register_without_regon": unit_register_suite(regon=False),
    "legal_register": legal_register_suite,
    "kgw_register": kgw_register_suite,
}


def register_suites() -> dict[str, Suite]:
    """Each register's suite by its staging table, as the source registry names it."""
    named = {s.name: s.register.suite for s in register_sources() if s.register.suite}
    unknown = {name: suite for name, suite in named.items() if suite not in REGISTER_SUITES}
    if unknown:
        raise ValueError(f"Source registry: unknown suites {unknown}; known: "
                         f"{sorted(REGISTER_SUITES)}")
    return {name: REGISTER_SUITES[suite] for name, suite in named.items()}


STAGING_SUITES: dict[str, Suite] = {
    **register_suites(),
    "jst_social_clause": jst_social_clause_suite,
    "pes_contract": pes_contract_suite,
    "owes_job": owes_detail_suite,
    "owes_supported_entity": owes_detail_suite,
    "prosocial_certificate": prosocial_certificate_suite,
    "project_event": project_event_suite,
    "study_visit": study_visit_suite,
    "krs_pkd": krs_pkd_suite,
    "krs_entity": krs_entity_suite,
    "jst_support": jst_support_suite,
    "rkres_meeting": rkres_meeting_suite,
    "participation": participation_suite,
    "owes_indicator": owes_indicator_suite,
}


def pes_entity_suite(ctx: SuiteContext) -> list:
    """core.pes_entity: one row per id, a known type and powiat, a start date."""
    import great_expectations as gx

    return [
        gx.expectations.ExpectColumnValuesToNotBeNull(column="entity_id"),
        gx.expectations.ExpectColumnValuesToBeUnique(column="entity_id"),
        gx.expectations.ExpectColumnValuesToBeInSet(column="entity_type",
                                                    value_set=ctx.entity_types),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="entity_type"),
        gx.expectations.ExpectColumnValuesToBeInSet(column="powiat_code",
                                                    value_set=ctx.powiat_codes),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="started_on"),
        gx.expectations.ExpectColumnValuesToMatchRegex(column="krs", regex=KRS_NUMBER),
        *entity_id_expectations(),
    ]


def entity_id_expectations() -> list:
    """What every table naming entities must hold: well-formed ids, a known kind."""
    import great_expectations as gx

    return [
        gx.expectations.ExpectColumnValuesToMatchRegex(column="entity_id", regex=ENTITY_ID),
        gx.expectations.ExpectColumnValuesToBeInSet(column="kind", value_set=["legal", "unit"]),
        gx.expectations.ExpectColumnValuesToMatchRegex(column="founder_entity_id",
                                                       regex=ENTITY_ID),
    ]


def entity_link_suite(ctx: SuiteContext) -> list:
    """core.entity_link: every source row once, in one entity, placed by a known rule."""
    import great_expectations as gx

    return [
        gx.expectations.ExpectColumnValuesToNotBeNull(column="entity_id"),
        gx.expectations.ExpectColumnValuesToBeUnique(column="record_id"),
        gx.expectations.ExpectColumnValuesToBeInSet(
            column="rule", value_set=["decision", "krs", "nip", "regon", "name_place", "alone"]),
        *entity_id_expectations(),
    ]


def participant_suite(ctx: SuiteContext) -> list:
    """core.participant: each person once (ESF counting), first attendance known."""
    import great_expectations as gx

    return [
        gx.expectations.ExpectColumnValuesToBeUnique(column="person_key"),
        gx.expectations.ExpectColumnValuesToMatchRegex(column="person_key", regex=PERSON_KEY),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="first_participated_on"),
        gx.expectations.ExpectColumnValuesToBeInSet(column="sex", value_set=["K", "M"]),
        gx.expectations.ExpectColumnValuesToBeBetween(column="attendances", min_value=1),
    ]


def owes_report_suite(ctx: SuiteContext) -> list:
    """core.owes_report: one report per centre and quarter, counts not negative."""
    import great_expectations as gx

    return [
        gx.expectations.ExpectCompoundColumnsToBeUnique(column_list=["centre_code", "quarter"]),
        *(gx.expectations.ExpectColumnValuesToBeBetween(column=c, min_value=0)
          for c in ("entities_supported", "social_enterprises_created", "jobs_created",
                    "persons_supported")),
    ]


def teryt_unit_suite(ctx: SuiteContext) -> list:
    """core.teryt_unit: one row per TERC code of the region, of a known kind."""
    import great_expectations as gx

    return [
        gx.expectations.ExpectColumnValuesToBeUnique(column="terc"),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="name"),
        gx.expectations.ExpectColumnValuesToBeInSet(
            column="kind", value_set=["voivodeship", "powiat", "city_powiat", "gmina"]),
    ]


def target_suite(ctx: SuiteContext) -> list:
    """core.target: every target names its indicator, validity and source; none negative."""
    import great_expectations as gx

    return [
        *(gx.expectations.ExpectColumnValuesToNotBeNull(column=c)
          for c in ("indicator", "valid_from", "valid_to", "target", "source")),
        gx.expectations.ExpectColumnValuesToBeBetween(column="target", min_value=0),
        gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="valid_to", column_B="valid_from", or_equal=True),
    ]


def owes_subregion_suite(ctx: SuiteContext) -> list:
    """core.owes_subregion: every powiat of the region belongs to a support centre."""
    import great_expectations as gx

    return [
        gx.expectations.ExpectColumnValuesToBeInSet(column="powiat_code",
                                                    value_set=ctx.powiat_codes),
        gx.expectations.ExpectColumnDistinctValuesToContainSet(column="powiat_code",
                                                               value_set=ctx.powiat_codes),
        gx.expectations.ExpectColumnValuesToNotBeNull(column="centre_code"),
    ]


#: What each kind of expectation asks, in the analyst's words: the report names these, never
#: a class name.
EXPECTATION_PL = {
    "ExpectColumnValuesToNotBeNull": "wartość wpisana w każdym wierszu",
    "ExpectColumnValuesToBeInSet": "wartości z dozwolonej listy",
    "ExpectColumnValuesToBeBetween": "wartości w dozwolonym zakresie",
    "ExpectColumnValuesToBeUnique": "każda wartość tylko raz",
    "ExpectCompoundColumnsToBeUnique": "każde połączenie wartości tylko raz",
    "ExpectColumnValuesToMatchRegex": "wartości zapisane w wymaganej postaci",
    "ExpectColumnValuesToBeValidNip": "NIP z poprawną cyfrą kontrolną",
    "ExpectColumnValuesToBeValidRegon": "REGON z poprawną cyfrą kontrolną",
    "ExpectColumnDistinctValuesToContainSet": "obecne wszystkie wymagane wartości",
    "ExpectColumnPairValuesAToBeGreaterThanB": "pierwsza z dwóch wartości większa od drugiej",
}


def validate_frame(frame: pd.DataFrame, expectations: list) -> SuiteOutcome:
    """Run expectations on a frame; failures list the expectation, its column and examples."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch = (
        context.data_sources.add_pandas("frames")
        .add_dataframe_asset("frame")
        .add_batch_definition_whole_dataframe("whole")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    # one validation of the whole suite computes the metrics expectations share once (about 3
    # times faster than one call per expectation); GX orders its results its own way, so each
    # expectation carries its position and the failures keep the suite's order
    for position, expectation in enumerate(expectations):
        expectation.meta = {"position": position}
    suite = gx.ExpectationSuite(name="suite", expectations=expectations)
    results = {result.expectation_config.meta["position"]: result
               for result in batch.validate(suite).results}
    failures = []
    for position, expectation in enumerate(expectations):
        result = results[position]
        if not result.success:
            column = getattr(expectation, "column", None)
            examples = result.result.get("partial_unexpected_list") or []
            failures.append({
                "expectation": type(expectation).__name__,
                "expectation_pl": EXPECTATION_PL.get(type(expectation).__name__,
                                                     type(expectation).__name__),
                "column": column,
                "unexpected_count": result.result.get("unexpected_count"),
                "unexpected_examples": [] if column in PERSONAL_COLUMNS else
                [str(v) for v in examples[:5]],
            })
    return SuiteOutcome(success=not failures, failures=failures, evaluated=len(expectations))
