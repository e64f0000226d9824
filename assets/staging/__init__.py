"""Staging: one typed, normalised table per source; rejected rows go to the quarantine.

Each source module exports its list of StagingSpec; this module only gathers them.
"""

from assets.checks import staging_checks as checks_of
from assets.staging.activity import activity_specs
from assets.staging.flow import build_staging_asset
from assets.staging.krs import krs_specs
from assets.staging.owes import owes_specs
from assets.staging.registers import register_specs

STAGING_SPECS = [*register_specs, *krs_specs, *owes_specs, *activity_specs]
staging_assets = [build_staging_asset(spec) for spec in STAGING_SPECS]
staging_checks = [checks_of(spec.table) for spec in STAGING_SPECS]
