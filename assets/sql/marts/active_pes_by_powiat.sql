-- PES active at each month end, by powiat (cities with powiat rights are powiats here).
select
    m.month,
    u.powiat_code,
    u.powiat_name,
    count(e.entity_id) as active_pes
from core.month m
cross join (
    select powiat_code, powiat_name from core.teryt_unit where kind in ('powiat', 'city_powiat')
) u
left join core.pes_entity e
    on e.powiat_code = u.powiat_code
    and e.started_on <= m.month
    and (e.ended_on is null or e.ended_on > m.month)
group by m.month, u.powiat_code, u.powiat_name
order by m.month, u.powiat_code
