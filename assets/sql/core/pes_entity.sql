-- core.pes_entity: one row per counted entity (docs/entity_model.md), its attributes taken
-- from its records in a stated order of sources (the roles of sources/registry.py):
--   name, identifiers, seat: KRS extract, then the register of record (the unit's register,
--   the KGW register), the regional catalogue, the register of social enterprises;
--   type: the register of record for a unit; for a legal entity the type most catalogue rows
--   give (the office's classification; a tie: the type the KRS legal form or the KGW register
--   implies, else the first in data/reference/pes_legal_types.csv order), else the type KRS,
--   the KGW register or the name implies.
-- Counted: an entity with at least one register row (an entity known only from KRS extracts is
-- not one of the region's PES) and a powiat in the region; an entity whose KRS seat is outside
-- the region is not counted, whatever its register rows say (core.krs_seat_outside_region).
with record as (
    select l.entity_id, l.founder_entity_id, r.*,
        -- the order in which records speak for their entity: by the rank of their source's
        -- role (sources/registry.py, ROLES), then source, file and line
        row_number() over (
            partition by l.entity_id
            order by r.source_rank, r.source, r.source_file, r.source_line) as speaking_order
    from core.entity_record r
    join core.entity_link l using (record_id)
),
type_votes as (
    select r.entity_id, r.entity_type,
        count(*) filter (where r.source_role = 'register' and r.kind = 'unit') as unit_rows,
        count(*) filter (where r.source_role = 'catalogue') as catalogue_rows,
        -- a source of record of a legal entity says the type after the catalogue: KRS by the
        -- legal form, the KGW register by being one (a circle the catalogue calls an
        -- association stays one)
        bool_or(r.source_role in ('extract', 'register') and r.kind = 'legal') as record_says,
        count(*) as rows, min(t.sort_order) as sort_order
    from record r
    join core.entity_type t using (entity_type)
    group by r.entity_id, r.entity_type
),
primary_type as (
    select entity_id,
        arg_max(entity_type, [unit_rows, catalogue_rows, record_says::int, rows, -sort_order])
            as entity_type
    from type_votes
    group by entity_id
),
entity as (
    select entity_id,
        any_value(kind) as kind,
        arg_min(name, speaking_order) as name,
        arg_min(krs, speaking_order) filter (where krs is not null) as krs,
        arg_min(nip, speaking_order) filter (where nip is not null) as nip,
        arg_min(regon_key, speaking_order) filter (where regon_key is not null) as regon,
        arg_min(powiat_code, speaking_order) filter (where powiat_code is not null) as powiat_code,
        arg_min(gmina_code, speaking_order) filter (where gmina_code is not null) as gmina_code,
        mode(powiat_code) filter (where source_role = 'catalogue') as catalogue_powiat_code,
        any_value(founder_entity_id) filter (where founder_entity_id is not null)
            as founder_entity_id,
        bool_or(is_opp) filter (where source_role = 'extract') as is_opp,
        bool_or(source_role = 'extract') as has_krs_extract,
        count(*) filter (where source_role = 'catalogue') as catalogue_rows,
        count(*) filter (where source_role <> 'extract') as register_rows,
        count(*) as source_rows,
        list(distinct source order by source) as sources
    from record
    group by entity_id
),
status as (
    select s.entity_id,
        bool_or(s.started_on <= p.period_end and (s.ended_on is null or s.ended_on > p.period_end))
            as is_social_enterprise,
        min(s.started_on) as social_enterprise_since
    from core.entity_status s, core.refresh_period p
    where s.status = 'social_enterprise'
    group by s.entity_id
)
select e.entity_id, e.kind, e.name, t.entity_type, e.krs, e.nip, e.regon,
    e.powiat_code, e.gmina_code, e.catalogue_powiat_code, e.founder_entity_id,
    a.started_on, a.ended_on, a.basis as dates_from,
    coalesce(s.is_social_enterprise, false) as is_social_enterprise, s.social_enterprise_since,
    coalesce(e.is_opp, false) as is_opp, e.has_krs_extract, e.catalogue_rows, e.register_rows,
    e.source_rows, e.sources
from entity e
join core.entity_status a on a.entity_id = e.entity_id and a.status = 'activity'
left join primary_type t on t.entity_id = e.entity_id
left join status s on s.entity_id = e.entity_id
where e.register_rows > 0
  and e.powiat_code in (select terc from core.teryt_unit where kind in ('powiat', 'city_powiat'))
  and e.entity_id not in (select entity_id from core.krs_seat_outside_region)
order by e.entity_id
