-- Attendances per quarter from the project start to the period end: identified (a valid PESEL,
-- counted by pseudonym) and unidentified (PESEL missing or invalid: reported here, never merged
-- with anyone); the persons attending for the first time and the running total of distinct
-- persons (core.participant), which at the last quarter is the project's number of participants.
with project as (select project_start from core.refresh_period),
period as (select period_end from core.refresh_period),
quarters as (
    select distinct date_trunc('quarter', m.month)::date as quarter_start
    from core.month m, project p
    where m.month >= p.project_start
),
event as (
    select e.event_id, date_trunc('quarter', e.held_on)::date as quarter_start
    from staging.project_event e, project, period
    where e.held_on between project.project_start and period.period_end
),
identified as (
    select e.quarter_start, count(*) as attendances
    from staging.participation p join event e using (event_id)
    group by all
),
unidentified as (
    select e.quarter_start, count(*) as attendances,
        count(*) filter (where u.reason = 'missing_pesel') as missing_pesel,
        count(*) filter (where u.reason = 'invalid_pesel') as invalid_pesel
    from staging.unidentified_attendance u join event e using (event_id)
    group by all
),
first_time as (
    select first_quarter_start as quarter_start, count(*) as persons
    from core.participant
    group by all
)
select
    q.quarter_start,
    year(q.quarter_start) || '-Q' || quarter(q.quarter_start) as quarter,
    year(q.quarter_start) as year,
    coalesce(i.attendances, 0) as identified_attendances,
    coalesce(u.attendances, 0) as unidentified_attendances,
    coalesce(u.missing_pesel, 0) as missing_pesel,
    coalesce(u.invalid_pesel, 0) as invalid_pesel,
    coalesce(f.persons, 0) as new_persons,
    sum(coalesce(f.persons, 0)) over (order by q.quarter_start)::bigint as persons_cumulative
from quarters q
left join identified i using (quarter_start)
left join unidentified u using (quarter_start)
left join first_time f using (quarter_start)
order by q.quarter_start
