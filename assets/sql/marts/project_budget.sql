-- The project's budget from core.target (data/reference/targets.csv keeps it in grosze, so the
-- file stays exact): each budget line in złoty with grosze, and its share of the largest line,
-- the project's total value.
select
    t.category as budget_line,
    (t.target / 100)::decimal(14, 2) as amount_pln,
    round(t.target / max(t.target) over (), 4) as share_of_total,
    t.valid_from::date as valid_from,
    t.valid_to::date as valid_to,
    t.source
from core.target t
where t.indicator = 'project_budget'
order by t.target desc
