-- Events of the project per calendar year and kind, up to the period end: how many, their
-- attendances, and the distinct persons who attended (by PESEL pseudonym). Attendances
-- without a valid PESEL are counted as unidentified, never as persons. Persons are distinct
-- within a row: someone at a fair and at a networking meeting counts in both rows, so rows do
-- not add up to persons (participants_new_by_quarter does). Every year of the monitored period
-- and every kind of event held is a row (zero when none).
with period as (select period_end from core.refresh_period),
event as (
    select e.event_id, e.event_kind, e.event_kind_label, year(e.held_on) as year
    from staging.project_event e, period
    where e.held_on <= period.period_end
),
held as (
    select year, event_kind, count(*) as events from event group by all
),
identified as (
    select e.year, e.event_kind, count(*) as attendances, count(distinct p.person_key) as persons
    from staging.participation p
    join event e using (event_id)
    group by all
),
unidentified as (
    select e.year, e.event_kind, count(*) as attendances
    from staging.unidentified_attendance u
    join event e using (event_id)
    group by all
),
grid as (
    select y.year, k.event_kind, k.event_kind_label
    from (select distinct year(month) as year from core.month) y
    cross join (select distinct event_kind, event_kind_label from event) k
)
select
    g.year,
    g.event_kind,
    g.event_kind_label,
    coalesce(h.events, 0) as events,
    coalesce(i.attendances, 0) + coalesce(u.attendances, 0) as attendances,
    coalesce(i.persons, 0) as persons,
    coalesce(u.attendances, 0) as unidentified_attendances
from grid g
left join held h using (year, event_kind)
left join identified i using (year, event_kind)
left join unidentified u using (year, event_kind)
order by g.year, g.event_kind
