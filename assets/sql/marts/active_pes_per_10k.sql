-- Active PES per 10 000 inhabitants at the last month monitored, by powiat (cities with powiat
-- rights included) and by gmina of seat: the count over the population of the latest year on
-- file not later than that month (GUS BDL, 31 December; core.population). An entity placed in
-- the town or the rural area of an urban-rural gmina (TERC kinds 4, 5) counts in that gmina
-- (the first six digits); one with no gmina counts in the gmina of its city with powiat rights
-- (a city is one gmina), elsewhere in its powiat only. on_map: the unit has a
-- boundary to draw (gminas are bundled for some regions only).
with period as (
    select max(month) as month from core.month
),
city_gminas as (
    select g.powiat_code, left(g.terc, 6) as gmina_prefix
    from core.teryt_unit g
    join core.teryt_unit c on c.terc = g.powiat_code and c.kind = 'city_powiat'
    where g.kind = 'gmina' and g.gmina_kind in ('1', '2', '3')
),
active as (
    select e.powiat_code, coalesce(left(e.gmina_code, 6), c.gmina_prefix) as gmina_prefix
    from core.pes_entity e
    cross join period
    left join city_gminas c on c.powiat_code = e.powiat_code
    where e.started_on <= period.month
      and (e.ended_on is null or e.ended_on > period.month)
),
powiat_names as (
    select distinct powiat_code, powiat_name
    from core.teryt_unit
    where kind in ('powiat', 'city_powiat')
),
units as (
    select
        'powiat' as level,
        u.terc as unit_code,
        u.powiat_name as unit_name,
        if(u.kind = 'city_powiat', 'miasto na prawach powiatu', 'powiat') as unit_kind_pl,
        u.powiat_name,
        (select count(*) from active a where a.powiat_code = u.terc) as active_pes
    from core.teryt_unit u
    where u.kind in ('powiat', 'city_powiat')
    union all
    select
        'gmina',
        g.terc,
        g.name,
        g.name_kind,
        p.powiat_name,
        (select count(*) from active a where a.gmina_prefix = left(g.terc, 6))
    from core.teryt_unit g
    left join powiat_names p on p.powiat_code = g.powiat_code
    where g.kind = 'gmina' and g.gmina_kind in ('1', '2', '3')
),
population as (
    select teryt, arg_max(population, year) as population, max(year) as population_year,
        arg_max(source, year) as population_source
    from core.population, period
    where year <= year(period.month)
    group by teryt
)
select
    period.month,
    u.level,
    u.unit_code,
    u.unit_name,
    u.unit_kind_pl,
    u.powiat_name,
    u.active_pes,
    p.population,
    p.population_year,
    p.population_source,
    round(u.active_pes * 10000.0 / p.population, 2) as active_pes_per_10k,
    b.teryt is not null as on_map
from units u
cross join period
left join population p on p.teryt = u.unit_code
left join marts.unit_boundary b on b.teryt = u.unit_code and b.level = u.level
order by u.level desc, u.unit_code
