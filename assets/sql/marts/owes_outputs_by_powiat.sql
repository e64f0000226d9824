-- OWES outputs per quarter and powiat, up to the period end: distinct entities supported and
-- jobs created, placed in the powiat of the entity's seat. A row of a report is matched to an
-- entity of core.pes_entity by KRS, else by NIP; an entity supported by two centres in one
-- quarter counts once. Rows with no matching entity are counted under no powiat (powiat_code
-- empty), each distinct KRS, NIP or name once, so the powiats add up to the quarter's total.
-- The subregion is the one the powiat belongs to (core.owes_subregion), which may not be the
-- subregion of the centre that reported.
with period as (select period_end from core.refresh_period),
by_krs as (
    select krs, min(entity_id) as entity_id, any_value(powiat_code) as powiat_code
    from core.pes_entity where krs is not null group by krs
),
by_nip as (
    select nip, min(entity_id) as entity_id, any_value(powiat_code) as powiat_code
    from core.pes_entity where nip is not null group by nip
),
row_entity as (
    select 'supported' as output, s.quarter_start, s.krs, s.nip, s.entity_name as name
    from staging.owes_supported_entity s
    union all
    select 'job', j.quarter_start, j.krs, j.nip, j.enterprise_name
    from staging.owes_job j
),
matched as (
    select r.output, r.quarter_start,
        coalesce(k.entity_id, n.entity_id, 'KRS:' || r.krs, 'NIP:' || r.nip,
                 'NAME:' || upper(trim(r.name))) as entity,
        coalesce(k.powiat_code, n.powiat_code) as powiat_code
    from row_entity r
    left join by_krs k on k.krs = r.krs
    left join by_nip n on n.nip = r.nip and k.krs is null
),
counted as (
    select quarter_start, powiat_code,
        count(distinct entity) filter (where output = 'supported') as entities_supported,
        count(*) filter (where output = 'job') as jobs_created
    from matched, period
    where quarter_start <= period.period_end
    group by all
),
powiat as (
    select p.powiat_code, p.powiat_name, any_value(s.subregion_pl) as subregion_pl
    from (select powiat_code, powiat_name from core.teryt_unit
          where kind in ('powiat', 'city_powiat')) p
    left join core.owes_subregion s using (powiat_code)
    group by all
)
select
    c.quarter_start,
    year(c.quarter_start) || '-Q' || quarter(c.quarter_start) as quarter,
    year(c.quarter_start) as year,
    c.powiat_code,
    coalesce(p.powiat_name, 'powiat nieustalony') as powiat_name,
    p.subregion_pl,
    c.entities_supported,
    c.jobs_created
from counted c
left join powiat p using (powiat_code)
order by c.quarter_start, c.powiat_code nulls last
