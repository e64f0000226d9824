-- core.entity_record: every accepted staging row that describes an entity, in one shape, so
-- that resolution (assets/entities/) reads one table. docs/entity_model.md explains the model.
--
-- kind: a legal entity (its own KRS/NIP/REGON; a KGW has no KRS) or a unit (CIS, KIS, ZAZ, WTZ) run by a founder
-- whose identifiers the unit's row carries in founder_*; the two kinds are never merged.
-- activity_start/end are what the row says about the entity's existence; status_start/end
-- the social-enterprise status (the register of social enterprises only).
with catalogue as (
    -- a unit or a legal entity as its type is (core.entity_type, from the reference of PES types)
    select 'pes_catalogue' as source, source_file, source_line,
        coalesce(t.kind, 'legal') as kind,
        entity_type, name, name_key,
        case when t.kind = 'unit' then null else krs end as krs,
        nip, regon,
        founder_krs, null as founder_nip, null as founder_regon,
        powiat_code, gmina_code, coalesce(gmina_written, town) as place_written,
        started_on as activity_start, ended_on as activity_end,
        null::date as status_start, null::date as status_end, null::boolean as is_opp
    from staging.pes_catalogue
    left join core.entity_type t using (entity_type)
),
social_enterprise as (
    -- the register does not say the legal form: the name does, for the few known only here
    select 'social_enterprise', source_file, source_line, 'legal',
        case when name_key like '%SPOLDZIELNIA SOCJALNA%' then 'social_cooperative'
             when name_key like '%FUNDACJA%' then 'foundation'
             when name_key like '%STOWARZYSZENIE%' then 'association' end,
        name, name_key,
        krs, nip, regon, null, null, null, powiat_code, null, null,
        null, null, granted_on, lost_on, null
    from staging.social_enterprise
),
cis as (
    select 'cis_register', source_file, source_line, 'unit', 'cis', name, name_key,
        null, null, regon, founder_krs, founder_nip, founder_regon, powiat_code, gmina_code,
        gmina_written, started_on, ended_on, null, null, null
    from staging.cis_register
),
kis as (
    select 'kis_register', source_file, source_line, 'unit', 'kis', name, name_key,
        null, null, null, founder_krs, founder_nip, null, powiat_code, gmina_code,
        coalesce(gmina_written, town), started_on, ended_on, null, null, null
    from staging.kis_register
),
zaz as (
    select 'zaz_register', source_file, source_line, 'unit', 'zaz', name, name_key,
        null, null, regon, founder_krs, founder_nip, null, powiat_code, gmina_code,
        gmina_written, granted_on, lost_on, null, null, null
    from staging.zaz_register
),
wtz as (
    select 'wtz_register', source_file, source_line, 'unit', 'wtz', name, name_key,
        null, null, regon, founder_krs, founder_nip, founder_regon, powiat_code, gmina_code,
        gmina_written, started_on, ended_on, null, null, null
    from staging.wtz_register
),
kgw as (
    -- a rural housewives' circle: a legal entity with NIP and REGON and no KRS, from its entry
    -- in the register to its strike-off (a circle in liquidation is still active)
    select 'kgw_register', source_file, source_line, 'legal', 'rural_housewives_circle', name,
        name_key, null, nip, regon, null, null, null, powiat_code, gmina_code,
        coalesce(gmina_written, town), registered_on, struck_off_on, null, null, null
    from staging.kgw_register
),
krs_type as (
    -- The type a KRS legal form gives (core.krs_legal_form_type, from the reference of PES
    -- types): a cooperative's kind only when its name says so (KRS writes SPÓŁDZIELNIA for all);
    -- the longest name fragment found wins, then the type's display order.
    select k.source_file, k.source_line,
        arg_min(f.entity_type, [-coalesce(length(f.name_contains), 0), f.sort_order])
            as entity_type
    from staging.krs_entity k
    join core.krs_legal_form_type f
        on f.legal_form = k.legal_form
        and (f.name_contains is null or contains(k.name_key, f.name_contains))
    group by k.source_file, k.source_line
),
krs as (
    select 'krs_entity', k.source_file, k.source_line, 'legal', t.entity_type,
        name, name_key, krs, nip, regon, null, null, null,
        case when seat_in_region then seat_powiat_code end,
        case when seat_in_region then seat_gmina_code end,
        seat_gmina, registered_on, struck_off_on, null, null, is_opp
    from staging.krs_entity k
    left join krs_type t using (source_file, source_line)
)
select
    source || ':' || source_file || ':' || source_line as record_id,
    *,
    -- a 14-digit REGON ending in 00000 is a 9-digit one written as KRS writes it
    case when length(regon) = 14 and right(regon, 5) = '00000' then left(regon, 9) else regon end
        as regon_key
from (
    select * from catalogue
    union all select * from social_enterprise
    union all select * from cis
    union all select * from kis
    union all select * from zaz
    union all select * from wtz
    union all select * from kgw
    union all select * from krs
)
order by source, source_file, source_line
