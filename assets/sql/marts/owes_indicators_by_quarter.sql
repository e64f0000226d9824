-- OWES headline indicators per quarter and support centre, up to the period end, from the
-- version of each report in use (core.owes_report), with the centre's subregion and whether
-- the total agrees with the rows of the report's own detail sheet (core.owes_headline_mismatch;
-- a total without a detail sheet counts as agreeing).
with period as (select period_end from core.refresh_period),
centre as (
    select distinct centre_code, subregion_pl, valid_from, valid_to from core.owes_subregion
)
select
    r.quarter_start,
    r.quarter,
    year(r.quarter_start) as year,
    r.centre_code,
    r.centre_name,
    c.subregion_pl,
    i.indicator,
    i.indicator_label,
    i.value,
    m.indicator is null as agrees_with_detail,
    r.version as report_version,
    r.source_file
from staging.owes_indicator i
join core.owes_report r using (source_file)
cross join period
left join centre c
    on c.centre_code = r.centre_code
    and r.quarter_start >= c.valid_from
    and (c.valid_to is null or r.quarter_start <= c.valid_to)
left join core.owes_headline_mismatch m
    on m.source_file = i.source_file and m.indicator = i.indicator
where r.quarter_start <= period.period_end
order by r.quarter_start, r.centre_code, i.indicator
