-- Study visits per calendar year and country, up to the period end, against the plan kept in
-- core.target (one target row per country and year, the country in `category`): the visits made
-- and their participants. A planned visit not made shows 0 visits beside its target; a visit
-- outside the plan (e.g. in Poland) has no target. target_status: 'osiągnięty' when the planned
-- visits were made, 'w trakcie' while their year goes on, 'nieosiągnięty' after it; null off plan.
with period as (select period_end from core.refresh_period),
made as (
    select year(v.started_on) as year, v.country, count(*) as visits,
           sum(v.participants)::bigint as participants
    from staging.study_visit v, period
    where v.started_on <= period.period_end
    group by all
),
planned as (
    select year(t.valid_from) as year, t.category as country, t.target
    from core.target t, period
    where t.indicator = 'study_visits_per_year' and t.valid_from <= period.period_end
)
select
    coalesce(m.year, p.year) as year,
    coalesce(p.country, m.country) as country,
    coalesce(m.visits, 0) as visits,
    coalesce(m.participants, 0) as participants,
    p.target,
    case
        when p.target is null then null
        when coalesce(m.visits, 0) >= p.target then 'osiągnięty'
        when make_date(coalesce(m.year, p.year), 12, 31) > period.period_end then 'w trakcie'
        else 'nieosiągnięty'
    end as target_status
from made m
full join planned p on p.year = m.year and lower(p.country) = lower(m.country)
cross join period
order by year, country
