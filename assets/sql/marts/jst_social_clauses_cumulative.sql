-- Local governments (JST) that have adopted social clauses, cumulative at each month end: a JST
-- counts from the month of its first act, once, whenever it was adopted. Of them, those whose
-- first act came on or after their first expert support from this project (jst_support since
-- the project start): the clauses the project's support may have led to.
with project as (select project_start from core.refresh_period),
first_act as (
    select jst_terc, min(adopted_on) as adopted_on
    from staging.jst_social_clause
    group by jst_terc
),
first_support as (
    select s.jst_terc, min(s.started_on) as supported_on
    from staging.jst_support s, project p
    where s.started_on >= p.project_start
    group by s.jst_terc
)
select
    m.month,
    count(a.jst_terc) as jst_with_social_clauses,
    count(a.jst_terc) filter (where a.adopted_on >= s.supported_on) as after_project_support
from core.month m
left join first_act a on a.adopted_on <= m.month
left join first_support s using (jst_terc)
group by m.month
order by m.month
