-- PES active at each month end, by type. Active at month end: started on or before that day
-- and not ended by then (an entity ended on the last day of a month is no longer counted).
select
    m.month,
    t.entity_type,
    t.entity_type_pl,
    count(e.entity_id) as active_pes
from core.month m
cross join core.entity_type t
left join core.pes_entity e
    on e.entity_type = t.entity_type
    and e.started_on <= m.month
    and (e.ended_on is null or e.ended_on > m.month)
group by m.month, t.entity_type, t.entity_type_pl, t.sort_order
order by m.month, t.sort_order
