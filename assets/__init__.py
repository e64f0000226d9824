"""Dagster assets, one module per layer: landing -> staging -> core -> marts -> publish."""
