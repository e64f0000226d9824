-- core.participant: one row per person identified by a valid PESEL (by pseudonym only), as ESF
-- projects count participants: a person once, however many events they attended, in the
-- period of their first attendance since the project start. Sex and institution are taken
-- from that first attendance (a later row may name another employer). Attendances without a
-- valid PESEL are not here: they are counted apart, as unidentified, never merged.
with project as (select project_start from core.refresh_period),
period as (select period_end from core.refresh_period),
attendance as (
    select p.person_key, p.event_id, e.held_on, e.event_kind, p.sex, p.institution,
           p.institution_key, p.institution_type, p.institution_type_label, p.source_line
    from staging.participation p
    join staging.project_event e using (event_id)
    cross join project
    cross join period
    where e.held_on between project.project_start and period.period_end
)
select
    person_key,
    held_on as first_participated_on,
    date_trunc('quarter', held_on)::date as first_quarter_start,
    event_id as first_event_id,
    event_kind as first_event_kind,
    sex,
    institution,
    institution_key,
    institution_type,
    institution_type_label,
    count(*) over (partition by person_key) as attendances
from attendance
qualify row_number() over (partition by person_key order by held_on, source_line) = 1
order by first_participated_on, person_key
