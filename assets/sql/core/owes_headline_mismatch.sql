-- core.owes_headline_mismatch: a headline total of an OWES report that disagrees with the rows
-- its detail sheet lists, one row per report and indicator. Flagged, not blocked: the headline
-- is what the centre declared, and the committee sees both.
-- Parameters: $headline_sheet, $supported_sheet, $jobs_sheet (sheet names of the template).
with compared as (
    select centre_code, centre_name, quarter, quarter_start, source_file, version,
           'owes_entities_supported' as indicator, $supported_sheet as detail_sheet,
           entities_supported as headline_value, entities_listed as detail_rows
    from core.owes_report
    union all
    select centre_code, centre_name, quarter, quarter_start, source_file, version,
           'owes_jobs_created', $jobs_sheet, jobs_created, jobs_listed
    from core.owes_report
)
select *,
    'Wartość w arkuszu ' || $headline_sheet || ': '
        || coalesce(replace(regexp_replace(cast(headline_value as varchar), '\.0$', ''), '.', ','),
                    'brak')
        || ', wierszy w arkuszu ' || detail_sheet || ': ' || detail_rows || '.' as message_pl
from compared
where headline_value is distinct from detail_rows
  and not (headline_value is null and detail_rows = 0)
order by quarter_start, centre_code, indicator
