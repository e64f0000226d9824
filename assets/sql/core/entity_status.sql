-- core.entity_status: the periods in which an entity held each status, from its events.
--
-- activity: from the source of record — KRS for a legal entity with an extract, the unit's
-- register for a unit, the KGW register for a rural housewives' circle, else the regional
-- catalogue (a legal entity known only from the register of social enterprises: from its first
-- status). It ends on the earliest end a source of
-- record or the catalogue gives: struck off (any extract says so: a strike-off is final), or
-- closed in the catalogue or the unit register (only when every row of that source says so:
-- one row left open is a row still open). Which source is which is each record's source_role
-- and source_rank (sources/registry.py, ROLES), not a list of source names.
-- social_enterprise: one period per decision of the register, from granting to loss or expiry
-- (or to the end of the entity's activity, whichever comes first).
with record as (
    select l.entity_id, r.*
    from core.entity_record r
    join core.entity_link l using (record_id)
),
by_source as (
    select entity_id, source_rank, any_value(source_role) as source_role,
        min(coalesce(activity_start, status_start)) as started_on,
        case when bool_and(source_role = 'extract') then max(activity_end)
             when count(*) filter (where activity_end is null) = 0 then max(activity_end)
        end as ended_on
    from record
    group by entity_id, source_rank
),
activity_of_records as (
    select entity_id, 'activity' as status,
        arg_min(started_on, source_rank) filter (where started_on is not null) as started_on,
        min(ended_on) filter (where source_role <> 'status') as ended_on,
        arg_min(source_role, source_rank) filter (where started_on is not null) as source_role
    from by_source
    group by entity_id
),
-- an answer 204 of the KRS API: struck off by that day, even with no readable date
answered_struck_off as (
    select r.entity_id, min(s.answered_on) as answered_on
    from record r
    join core.krs_struck_off s on s.krs = r.krs
    group by r.entity_id
),
activity as (
    select a.* replace (least(a.ended_on, s.answered_on) as ended_on)
    from activity_of_records a
    left join answered_struck_off s using (entity_id)
)
select entity_id, status, started_on, ended_on,
    case source_role when 'catalogue' then 'katalog' when 'status' then 'rejestr_ps'
        else 'rejestr' end as basis
from activity
union all
-- a status cannot outlive its entity: struck off or closed, it is no longer a social enterprise
select r.entity_id, 'social_enterprise', r.status_start, least(r.status_end, a.ended_on),
    'rejestr_ps'
from record r
join activity a using (entity_id)
where r.source_role = 'status' and r.status_start is not null
order by entity_id, status, started_on
