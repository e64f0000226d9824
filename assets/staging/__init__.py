"""Staging: one typed, normalised table per source; rejected rows go to the quarantine."""

from assets.staging.activity import activity_specs
from assets.staging.flow import build_staging_asset, build_staging_check
from assets.staging.krs import krs_spec
from assets.staging.owes import owes_spec
from assets.staging.registers import pes_catalogue_spec, social_enterprise_spec

STAGING_SPECS = [pes_catalogue_spec, social_enterprise_spec, krs_spec, owes_spec, *activity_specs]
staging_assets = [build_staging_asset(spec) for spec in STAGING_SPECS]
staging_checks = [build_staging_check(spec) for spec in STAGING_SPECS]
