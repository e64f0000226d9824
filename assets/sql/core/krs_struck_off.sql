-- core.krs_struck_off: every KRS number known to be struck off the register, and what is known
-- of the date. An extract's strike-off entry gives the day of the entry (struck_off_on, the day
-- activity ends: docs/entity_model.md) and the day it became final; an answer 204 of the API to
-- the current extract says the number was struck off by the day of the answer, even when the
-- full extract that holds the date could not be read: the entity is then ended no later than
-- that day (answered_on), and its date is known only as "before" it.
with from_extracts as (
    select krs, max(struck_off_on) as struck_off_on,
        max(struck_off_final_on) as struck_off_final_on
    from staging.krs_entity
    where struck_off_on is not null
    group by krs
),
from_answers as (
    select target as krs, min(requested_at)::date as answered_on
    from krs.response
    where endpoint = 'OdpisAktualny' and http_status = 204
    group by target
)
select coalesce(e.krs, a.krs) as krs, e.struck_off_on, e.struck_off_final_on, a.answered_on,
    e.struck_off_on is not null as date_known
from from_extracts e
full join from_answers a on a.krs = e.krs
order by krs
