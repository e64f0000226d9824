-- Participants as ESF projects count them: unique persons (not attendances), each in the quarter
-- of their first participation since the project start, by sex and institution type as at that
-- first participation (core.participant), so quarters add up to the number of persons. Every
-- quarter from the project start to the period end is a row for every sex and institution type
-- seen. Unidentified attendances (no valid PESEL) are in participation_by_quarter.
with project as (select project_start from core.refresh_period),
quarters as (
    select distinct date_trunc('quarter', m.month)::date as quarter_start
    from core.month m, project p
    where m.month >= p.project_start
),
groups as (
    select distinct sex, institution_type, institution_type_label from core.participant
),
cells as (
    select
        q.quarter_start,
        year(q.quarter_start) || '-Q' || quarter(q.quarter_start) as quarter,
        year(q.quarter_start) as year,
        g.sex,
        case g.sex when 'K' then 'kobiety' when 'M' then 'mężczyźni' end as sex_pl,
        g.institution_type,
        g.institution_type_label,
        count(p.person_key) as new_persons
    from quarters q
    cross join groups g
    left join core.participant p
        on p.first_quarter_start = q.quarter_start
        and p.sex = g.sex
        and p.institution_type = g.institution_type
    group by all
)
select
    *,
    -- the persons so far: participation_by_quarter's running total, published from here
    sum(new_persons) over (order by quarter_start)::bigint as persons_cumulative
from cells
order by quarter_start, sex, institution_type
