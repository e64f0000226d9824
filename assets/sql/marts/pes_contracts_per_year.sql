-- Public contracts with social clauses and public tasks commissioned to PES, per calendar year
-- and kind, up to the period end: the JST that gave them, how many, and their value in złoty
-- with grosze (summed as exact decimals). Every year with data and every kind is a row.
with period as (
    select year(max(month)) as last_year from core.month
),
contract as (
    select c.*
    from staging.pes_contract c, period
    where c.year <= period.last_year
),
grid as (
    select y.year, k.contract_kind, k.contract_kind_label
    from (select distinct year from contract) y
    cross join (select distinct contract_kind, contract_kind_label from contract) k
)
select
    g.year,
    g.contract_kind,
    g.contract_kind_label,
    count(distinct c.jst_terc) as jst,
    coalesce(sum(c.contracts), 0)::bigint as contracts,
    coalesce(sum(c.value_pln), 0)::decimal(18, 2) as value_pln
from grid g
left join contract c using (year, contract_kind)
group by all
order by g.year, g.contract_kind
