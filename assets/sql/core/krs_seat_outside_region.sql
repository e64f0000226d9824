-- core.krs_seat_outside_region: entities whose KRS extract puts their seat outside the region.
-- The KRS seat is the seat of record: such an entity is not one of the region's PES, whatever a
-- register row says of its place (a typo in the KRS number, or an organisation that moved), so
-- core.pes_entity leaves it out and the quality report lists it with the rows that place it here.
with record as (
    select l.entity_id, r.*
    from core.entity_record r
    join core.entity_link l using (record_id)
),
krs_seat as (
    select k.krs, k.source_file,
        concat_ws(', ', k.seat_voivodeship, 'pow. ' || k.seat_powiat, 'gm. ' || k.seat_gmina,
                  k.seat_town) as krs_seat
    from staging.krs_entity k
    where k.seat_in_region = false
)
select r.entity_id, any_value(r.krs) filter (where r.source = 'krs_entity') as krs,
    any_value(s.krs_seat) as krs_seat,
    string_agg(distinct concat_ws(', ', r.place_written, r.powiat_code), '; ')
        filter (where r.source <> 'krs_entity') as register_place,
    mode(r.powiat_code) filter (where r.source = 'pes_catalogue') as catalogue_powiat_code,
    string_agg(r.record_id, '; ' order by r.record_id) filter (where r.source <> 'krs_entity')
        as source_rows
from record r
join record k on k.entity_id = r.entity_id and k.source = 'krs_entity'
join krs_seat s on s.krs = k.krs and s.source_file = k.source_file
group by r.entity_id
-- an entity known only from KRS (an extract no register names) is none of the region's anyway
having count(*) filter (where r.source <> 'krs_entity') > 0
order by r.entity_id
