"""The assembly: Dagster Definitions, the monthly schedule, resources from settings, the CLI."""
