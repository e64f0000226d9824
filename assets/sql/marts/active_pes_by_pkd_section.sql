-- PES active at each month end, by the PKD section (A-U) of their main activity: the section of
-- the first code their KRS extract lists as main activity (przedmiot przeważającej
-- działalności), at any level (division, group, class, subclass). Entities without one (no
-- extract, or a register S extract, which lists no main activity) are one row of their own.
with main_activity as (
    select p.krs, arg_min(p.pkd_section, p.source_line) as pkd_section
    from staging.krs_pkd p
    where p.pkd_list = 'main'
    group by p.krs
),
entity as (
    select e.entity_id, e.started_on, e.ended_on, coalesce(a.pkd_section, '-') as pkd_section
    from core.pes_entity e
    left join main_activity a on a.krs = e.krs
),
section as (
    select section as pkd_section, section_pl as pkd_section_pl, section as sort_key
    from core.pkd_section
    union all
    select '-', 'bez przeważającej działalności w KRS', 'ZZ'
)
select
    m.month,
    s.pkd_section,
    s.pkd_section_pl,
    count(e.entity_id) as active_pes
from core.month m
cross join section s
left join entity e
    on e.pkd_section = s.pkd_section
    and e.started_on <= m.month
    and (e.ended_on is null or e.ended_on > m.month)
group by m.month, s.pkd_section, s.pkd_section_pl, s.sort_key
order by m.month, s.sort_key
