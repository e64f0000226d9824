-- Study visits per calendar year and country, up to the period end, against the plan kept in
-- core.target (one target row per country and year, the country in `category`): the visits made
-- and their participants. A planned visit not made shows 0 visits beside its target; a visit
-- outside the plan (e.g. in Poland) has no target.
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
    p.target
from made m
full join planned p on p.year = m.year and lower(p.country) = lower(m.country)
order by year, country
