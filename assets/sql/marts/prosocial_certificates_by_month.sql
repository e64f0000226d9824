-- The mark "Zakup Prospołeczny" at each month end: PES holding a valid certificate (an entity
-- once, by KRS, else NIP, else name, however many certificates it holds), certificates granted
-- in the month and certificates whose validity ended in the month. A certificate is valid from
-- the day it was granted to its "valid until" day, both included.
select
    m.month,
    count(distinct c.entity_key) filter (
        where c.granted_on <= m.month and c.valid_until >= m.month) as certified_pes,
    count(c.entity_key) filter (
        where c.granted_on between date_trunc('month', m.month) and m.month)
        as certificates_granted,
    count(c.entity_key) filter (
        where c.valid_until between date_trunc('month', m.month) and m.month)
        as certificates_expired
from core.month m
left join staging.prosocial_certificate c on c.granted_on <= m.month
group by m.month
order by m.month
