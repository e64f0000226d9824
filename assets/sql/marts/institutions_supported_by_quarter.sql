-- Institutions whose staff took part in the project's events ("entities supported" in ESF
-- terms), each counted once, in the quarter of its first participation since the project
-- start, by the institution type given then; an institution is one by the matching key of its
-- name. Attendances without a valid PESEL count here too: the person is unknown, the
-- institution is not. Rows without an institution name cannot be counted.
with project as (select project_start from core.refresh_period),
period as (select period_end from core.refresh_period),
quarters as (
    select distinct date_trunc('quarter', m.month)::date as quarter_start
    from core.month m, project p
    where m.month >= p.project_start
),
attendance as (
    select institution_key, institution_type, institution_type_label, event_id, source_line,
           false as unidentified
    from staging.participation
    union all
    select institution_key, institution_type, institution_type_label, event_id, source_line, true
    from staging.unidentified_attendance
),
first_time as (
    select a.institution_key, a.institution_type, a.institution_type_label,
           date_trunc('quarter', e.held_on)::date as quarter_start
    from attendance a
    join staging.project_event e using (event_id)
    cross join project
    cross join period
    where a.institution_key is not null and a.institution_type is not null
      and e.held_on between project.project_start and period.period_end
    qualify row_number() over (partition by a.institution_key
                               order by e.held_on, a.unidentified, a.source_line) = 1
),
types as (
    select distinct institution_type, institution_type_label from first_time
)
select
    q.quarter_start,
    year(q.quarter_start) || '-Q' || quarter(q.quarter_start) as quarter,
    year(q.quarter_start) as year,
    t.institution_type,
    t.institution_type_label,
    count(f.institution_key) as new_institutions
from quarters q
cross join types t
left join first_time f using (quarter_start, institution_type)
group by all
order by q.quarter_start, t.institution_type
