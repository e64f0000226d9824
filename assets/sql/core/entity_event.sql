-- core.entity_event: what each source says happened to an entity, and when. Active counts for
-- any month are derived from these dated events (core.pes_entity, core.entity_status), so a
-- strike-off learnt this month ends the entity on its date and leaves earlier months alone.
with record as (
    select l.entity_id, r.*
    from core.entity_record r
    join core.entity_link l using (record_id)
)
select * from (
    select entity_id, 'activity' as status,
        case source_role when 'extract' then 'registered' when 'catalogue' then 'started'
            else 'unit_started' end as event,
        activity_start as event_on, source, record_id
    from record where activity_start is not null
    union all
    select entity_id, 'activity',
        case source_role when 'extract' then 'struck_off' when 'catalogue' then 'ended'
            else 'unit_closed' end,
        activity_end, source, record_id
    from record where activity_end is not null
    union all
    select entity_id, 'social_enterprise', 'status_granted', status_start, source, record_id
    from record where status_start is not null
    union all
    select entity_id, 'social_enterprise', 'status_lost', status_end, source, record_id
    from record where status_end is not null
)
order by entity_id, event_on, event
