-- Members of the regional committee (RKRES) present at each meeting up to the period end, by
-- sector, as the meeting sheet counts them. A count left empty in the sheet gives no row.
-- Meetings per year against the target are in rkres_meetings_per_year.
with period as (select period_end from core.refresh_period),
meeting as (
    select r.meeting_number, r.met_on, r.present_public, r.present_pes, r.present_business,
           r.present_science
    from staging.rkres_meeting r, period
    where r.met_on <= period.period_end
),
present as (
    unpivot meeting
    on present_public, present_pes, present_business, present_science
    into name sector value present
)
select
    met_on,
    year(met_on) as year,
    meeting_number,
    sector,
    case sector
        when 'present_public' then 'administracja publiczna'
        when 'present_pes' then 'podmioty ekonomii społecznej'
        when 'present_business' then 'biznes'
        when 'present_science' then 'nauka'
    end as sector_pl,
    present
from present
order by met_on, meeting_number, sector
