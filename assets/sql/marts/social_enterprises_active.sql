-- Social enterprises at each month end: an entity counts when one of its status periods
-- (core.entity_status, status 'social_enterprise', already ended by a strike-off or closing)
-- covers that day: granted on or before it and not lost, expired or ended by then. Each entity
-- once, whatever the number of its decisions.
select
    m.month,
    count(distinct s.entity_id) as social_enterprises
from core.month m
left join core.entity_status s
    on s.status = 'social_enterprise'
    and s.started_on <= m.month
    and (s.ended_on is null or s.ended_on > m.month)
    and s.entity_id in (select entity_id from core.pes_entity)
group by m.month
order by m.month
