"""Readers for each outside source: files in the inbox, the KRS API, reference data.

Plain Python (pandas, requests): nothing here knows about Dagster. Every reader returns the
source's rows under English column names, as text, with their provenance (`_file`, `_sheet`,
`_line`), so that the rules in `quality/` can quarantine a row by its place in the file.
"""
