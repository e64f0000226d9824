-- Meetings of the regional committee (RKRES) per calendar year, up to the period end.
-- A yearly target applies to a year that lies wholly inside the target's validity period.
with years as (
    select distinct year(month) as year, max(month) over () as period_end from core.month
)
select
    y.year,
    count(r.met_on) as meetings,
    any_value(t.target) as target
from years y
left join staging.rkres_meeting r
    on year(r.met_on) = y.year and r.met_on <= y.period_end
left join core.target t
    on t.indicator = 'rkres_meetings_per_year'
    and t.valid_from <= make_date(y.year, 1, 1)
    and t.valid_to >= make_date(y.year, 12, 31)
group by y.year
order by y.year
