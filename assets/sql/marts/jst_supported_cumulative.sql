-- Distinct local governments (JST) given expert support, cumulative from the project start:
-- a JST counts from the month of its first support on or after the project start, once, however
-- often it was supported. The target applies to the months inside its validity period.
-- target_status judges it at each month end: 'osiągnięty' once reached, 'w trakcie' before the
-- target's deadline (valid_to) while short of it, 'nieosiągnięty' at the deadline short of it;
-- null outside the validity period.
with project as (select project_start from core.refresh_period),
first_support as (
    select s.jst_terc, min(s.started_on) as first_supported_on
    from staging.jst_support s, project p
    where s.started_on >= p.project_start
    group by s.jst_terc
)
select
    m.month,
    count(f.jst_terc) as jst_supported,
    any_value(t.target) as target,
    any_value(t.valid_from)::date as target_valid_from,
    any_value(t.valid_to)::date as target_valid_to,
    case
        when any_value(t.target) is null then null
        when count(f.jst_terc) >= any_value(t.target) then 'osiągnięty'
        when m.month < any_value(t.valid_to) then 'w trakcie'
        else 'nieosiągnięty'
    end as target_status
from core.month m
cross join project p
left join first_support f on f.first_supported_on <= m.month
left join core.target t
    on t.indicator = 'jst_supported_cumulative'
    and m.month between t.valid_from and t.valid_to
where m.month >= p.project_start
group by m.month
order by m.month
