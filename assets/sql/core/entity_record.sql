-- core.entity_record: every accepted staging row that describes an entity, in one shape, so
-- that resolution (assets/entities/) reads one table. docs/entity_model.md explains the model.
--
-- kind: a legal entity (its own KRS/NIP/REGON) or a unit (CIS, KIS, ZAZ, WTZ) run by a founder
-- whose identifiers the unit's row carries in founder_*; the two kinds are never merged.
-- activity_start/end are what the row says about the entity's existence; status_start/end
-- the social-enterprise status (the register of social enterprises only).
with catalogue as (
    select 'pes_catalogue' as source, source_file, source_line,
        case when entity_type in ('cis', 'kis', 'zaz', 'wtz') then 'unit' else 'legal' end
            as kind,
        entity_type, name, name_key,
        case when entity_type in ('cis', 'kis', 'zaz', 'wtz') then null else krs end as krs,
        nip, regon,
        founder_krs, null as founder_nip, null as founder_regon,
        powiat_code, gmina_code, coalesce(gmina_written, town) as place_written,
        started_on as activity_start, ended_on as activity_end,
        null::date as status_start, null::date as status_end, null::boolean as is_opp
    from staging.pes_catalogue
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
krs as (
    -- The type a KRS legal form implies: a cooperative is a social cooperative only when its
    -- name says so (the register's legal form is just SPÓŁDZIELNIA).
    select 'krs_entity', source_file, source_line, 'legal',
        case legal_form
            when 'STOWARZYSZENIE' then 'association'
            when 'FUNDACJA' then 'foundation'
            when 'SPÓŁDZIELNIA' then
                case when name_key like '%SPOLDZIELNIA SOCJALNA%' then 'social_cooperative' end
        end,
        name, name_key, krs, nip, regon, null, null, null,
        case when seat_in_region then seat_powiat_code end,
        case when seat_in_region then seat_gmina_code end,
        seat_gmina, registered_on, struck_off_on, null, null, is_opp
    from staging.krs_entity
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
    union all select * from krs
)
order by source, source_file, source_line
