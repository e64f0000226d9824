-- Meetings of the regional committee (RKRES) per calendar year, up to the period end.
-- A yearly target applies to a year that lies wholly inside the target's validity period.
-- target_status is the verdict the dashboard and the release show: 'osiągnięty' once the year
-- has its meetings, 'w trakcie' while the year goes on short of them, 'nieosiągnięty' for an
-- ended year short of them; null where no target applies.
with years as (
    select distinct year(month) as year, max(month) over () as period_end from core.month
)
select
    y.year,
    count(r.met_on) as meetings,
    any_value(t.target) as target,
    case
        when any_value(t.target) is null then null
        when count(r.met_on) >= any_value(t.target) then 'osiągnięty'
        when make_date(y.year, 12, 31) > any_value(y.period_end) then 'w trakcie'
        else 'nieosiągnięty'
    end as target_status
from years y
left join staging.rkres_meeting r
    on year(r.met_on) = y.year and r.met_on <= y.period_end
left join core.target t
    on t.indicator = 'rkres_meetings_per_year'
    and t.valid_from <= make_date(y.year, 1, 1)
    and t.valid_to >= make_date(y.year, 12, 31)
group by y.year
order by y.year
