-- core.pes_entity: one row per real entity of the regional catalogue, enriched by KRS.
--
-- Walking-skeleton resolution (the entity-resolution work replaces it): catalogue rows are one
-- entity when they share a KRS number (a row without KRS takes the KRS of another row with the
-- same NIP), else a NIP, else the REGON, else type + name key + powiat. The whole REGON is
-- the key: a unit (CIS, ZAZ...) has a 14-digit REGON that starts with its founder's 9 digits,
-- and a unit is never merged into its founder or into another unit of the same founder.
-- KRS is the register of record: an entity with an extract is active from its registration
-- date; it ends at the earliest of its strike-off date and the catalogue's end date.
with krs_by_nip as (
    select nip, min(krs) as krs
    from staging.pes_catalogue
    where krs is not null and nip is not null
    group by nip
),
keyed as (
    select c.*,
        coalesce(c.krs, n.krs) as krs_matched,
        coalesce('KRS:' || coalesce(c.krs, n.krs), 'NIP:' || c.nip, 'REGON:' || c.regon,
                 'NAME:' || c.entity_type || '|' || c.name_key || '|' || c.powiat_code) as match_key
    from staging.pes_catalogue c
    left join krs_by_nip n on c.krs is null and c.nip = n.nip
),
clustered as (
    select
        match_key,
        arg_min(name, source_line) as name,
        mode(entity_type) as entity_type,
        max(krs_matched) as krs,
        max(nip) as nip,
        max(regon) as regon,
        mode(powiat_code) as catalogue_powiat_code,
        min(started_on) as catalogue_started_on,
        -- ended only when every row of the entity says so
        case when count(*) filter (where ended_on is null) = 0 then max(ended_on) end
            as catalogue_ended_on,
        count(*) as catalogue_rows
    from keyed
    group by match_key
),
krs_extract as (
    select *
    from staging.krs_entity
    qualify row_number() over (partition by krs order by extract_kind = 'current' desc, as_of desc) = 1
)
select
    'PES-' || upper(left(sha256(c.match_key), 12)) as entity_id,
    c.match_key,
    coalesce(k.name, c.name) as name,
    c.entity_type,
    c.krs,
    coalesce(c.nip, k.nip) as nip,
    coalesce(c.regon, left(k.regon, 9)) as regon,
    coalesce(k.seat_powiat_code, c.catalogue_powiat_code) as powiat_code,
    c.catalogue_powiat_code,
    coalesce(k.registered_on, c.catalogue_started_on) as started_on,
    least(k.struck_off_on, c.catalogue_ended_on) as ended_on,
    coalesce(k.is_opp, false) as is_opp,
    k.krs is not null as has_krs_extract,
    c.catalogue_rows
from clustered c
left join krs_extract k on k.krs = c.krs
order by entity_id
