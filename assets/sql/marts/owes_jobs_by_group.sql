-- Jobs created in social enterprises as the OWES report them, per quarter, centre, the
-- employed person's at-risk group and the contract type, up to the period end.
with period as (select period_end from core.refresh_period)
select
    j.quarter_start,
    j.quarter,
    year(j.quarter_start) as year,
    j.centre_code,
    j.at_risk_group,
    j.at_risk_group_label,
    j.contract_type,
    j.contract_type_label,
    count(*) as jobs
from staging.owes_job j, period
where j.quarter_start <= period.period_end
group by all
order by j.quarter_start, j.centre_code, j.at_risk_group, j.contract_type
