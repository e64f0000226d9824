-- The committee's headline cards: one row per card, and one per part of a card (a year of
-- meetings, a planned study visit, the EU's share of the budget), read from the indicator marts
-- so that a card always agrees with its figure.
-- `as_of` is the day the card's value is as of, from its own rows; `value_at_deadline` is the
-- value on the last day of the target's period (or the latest day before it the data reaches).
-- target_status, as in the marts it is read from: 'osiągnięty', 'w trakcie', 'nieosiągnięty';
--   rkres_meetings: every year of the target period has its meetings ('nieosiągnięty' once an
--     ended year is short of them; 'w trakcie' while the period goes on);
--   jst_supported: the mart's verdict at the deadline (or at the latest month before it);
--   study_visits: every planned visit made (judged as study_visits_per_year judges each);
--   budget and the sector's cards (active PES, social enterprises, jobs created): no target
--     is set, so null.
with period as (select period_end from core.refresh_period),
headline_year as (
    -- the latest calendar year ended by the period end: a year in progress is not a headline
    select case when month(period_end) = 12 and day(period_end) = 31 then year(period_end)
                else year(period_end) - 1 end as year
    from period
),
rkres_target as (
    select min(valid_from)::date as valid_from, max(valid_to)::date as valid_to,
           max(target) as target
    from core.target where indicator = 'rkres_meetings_per_year'
),
rkres_years as (
    select r.year, r.meetings, r.target, r.target_status
    from marts.rkres_meetings_per_year r, rkres_target t
    where r.year between year(t.valid_from) and year(t.valid_to)
),
rkres as (
    select 'rkres_meetings' as card, null as part, make_date(h.year, 12, 31) as as_of,
           (select meetings from marts.rkres_meetings_per_year r where r.year = h.year)
               as value,
           null as value_at_deadline, t.target, t.valid_from as target_valid_from,
           t.valid_to as target_valid_to, null as share_of_total,
           case
               when t.target is null then null
               when (select count(*) from rkres_years where target_status = 'nieosiągnięty') > 0
                   then 'nieosiągnięty'
               when t.valid_to > (select period_end from period) then 'w trakcie'
               when (select count(*) from rkres_years where target_status = 'osiągnięty')
                   = year(t.valid_to) - year(t.valid_from) + 1 then 'osiągnięty'
               else 'nieosiągnięty'
           end as target_status
    from headline_year h, rkres_target t
    union all
    select 'rkres_meetings', cast(y.year as varchar), least(make_date(y.year, 12, 31),
           p.period_end), y.meetings, null, y.target, make_date(y.year, 1, 1),
           make_date(y.year, 12, 31), null, y.target_status
    from rkres_years y, period p
),
jst_latest as (
    select * from marts.jst_supported_cumulative
    where month = (select max(month) from marts.jst_supported_cumulative)
),
jst_deadline as (
    -- the target's last month, or the latest month before it the mart reaches
    select j.* from marts.jst_supported_cumulative j
    where j.month = (
        select max(m.month) from marts.jst_supported_cumulative m
        where m.target_status is not null
    )
),
jst as (
    select 'jst_supported' as card, null as part, l.month as as_of,
           l.jst_supported as value, d.jst_supported as value_at_deadline, d.target,
           d.target_valid_from, d.target_valid_to, null as share_of_total, d.target_status
    from jst_latest l left join jst_deadline d on true
),
planned_visits as (
    select * from marts.study_visits_per_year where target is not null
),
visits as (
    select 'study_visits' as card, null as part,
           least((select period_end from period), make_date(max(year)::int, 12, 31)) as as_of,
           count(*) filter (where target_status = 'osiągnięty') as value,
           null as value_at_deadline, count(*) as target,
           make_date(min(year)::int, 1, 1) as target_valid_from,
           make_date(max(year)::int, 12, 31) as target_valid_to, null as share_of_total,
           case
               when count(*) = 0 then null
               when count(*) filter (where target_status = 'nieosiągnięty') > 0
                   then 'nieosiągnięty'
               when count(*) filter (where target_status = 'w trakcie') > 0 then 'w trakcie'
               else 'osiągnięty'
           end as target_status
    from planned_visits
    union all
    select 'study_visits', country || ' ' || year,
           least((select period_end from period), make_date(year::int, 12, 31)), visits, null,
           target, make_date(year::int, 1, 1), make_date(year::int, 12, 31), null, target_status
    from planned_visits
),
budget as (
    select 'project_budget' as card,
           case when share_of_total = 1 then null else budget_line end as part,
           null as as_of, amount_pln as value, null as value_at_deadline, null as target,
           valid_from as target_valid_from, valid_to as target_valid_to, share_of_total,
           null as target_status
    from marts.project_budget
),
latest_pes_month as (
    select max(month) as month from marts.active_pes_by_type
),
sector as (
    select 'active_pes' as card, null as part, l.month as as_of,
           coalesce(sum(a.active_pes), 0) as value
    from latest_pes_month l left join marts.active_pes_by_type a on a.month = l.month
    where l.month is not null
    group by l.month
    union all
    select 'social_enterprises', null, month, social_enterprises
    from marts.social_enterprises_active
    where month = (select max(month) from marts.social_enterprises_active)
    union all
    select 'jobs_created', null,
           least((select period_end from period),
                 (max(quarter_start) + interval 3 month - interval 1 day)::date),
           sum(jobs)
    from marts.owes_jobs_by_group
    having count(*) > 0
)
select card, part, as_of, value, value_at_deadline, target, target_valid_from, target_valid_to,
       share_of_total, target_status
from (
    select * from rkres
    union all select * from jst
    union all select * from visits
    union all select * from budget
    union all
    select card, part, as_of, value, null, null, null, null, null, null from sector
)
order by card, part nulls first
