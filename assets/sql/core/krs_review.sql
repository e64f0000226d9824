-- core.krs_review: what KRS says that the analyst must see in the quality report, one row per
-- finding: `topic` (struck_off, outside_region, unknown_number, type_contradiction), the KRS
-- number, what KRS says, what the registers say and the register rows concerned.
with record as (
    select l.entity_id, r.*
    from core.entity_record r
    join core.entity_link l using (record_id)
),
-- the register rows (not KRS extracts) that name each KRS number, as their own or a founder's
named as (
    select number as krs, string_agg(distinct record_id, '; ' order by record_id) as source_rows,
        string_agg(distinct entity_id, '; ' order by entity_id) as entity_ids
    from (
        select krs as number, record_id, entity_id from record
        where source <> 'krs_entity' and krs is not null
        union all
        select founder_krs, record_id, entity_id from record
        where source <> 'krs_entity' and founder_krs is not null
    )
    group by number
),
struck_off as (
    select 'struck_off' as topic, s.krs,
        case when s.date_known then 'wykreślony ' || strftime(s.struck_off_on, '%d.%m.%Y')
                 || coalesce(' (prawomocnie ' || strftime(s.struck_off_final_on, '%d.%m.%Y')
                             || ')', ' (data uprawomocnienia nieznana)')
             else 'wykreślony przed ' || strftime(s.answered_on, '%d.%m.%Y')
                 || ' (API KRS odpowiedziało 204; data wykreślenia nieznana: odpis pełny '
                 || 'nieczytelny albo niepobrany)' end as krs_says,
        null as registers_say, n.source_rows, n.entity_ids,
        s.date_known as date_known
    from core.krs_struck_off s
    join named n using (krs)
),
outside_region as (
    select 'outside_region', o.krs, 'siedziba w KRS poza województwem: ' || o.krs_seat,
        o.register_place, o.source_rows, o.entity_id, null::boolean
    from core.krs_seat_outside_region o
),
unknown_number as (
    select 'unknown_number', s.krs,
        'numer nieznany w rejestrach P i S (API KRS: 404 w obu rejestrach, '
            || strftime(s.requested_at, '%d.%m.%Y') || ')',
        null, n.source_rows, n.entity_ids, null::boolean
    from krs.extract_state s
    join named n using (krs)
    where s.status = 'not_found'
),
-- the legal forms a catalogue type can have in KRS; other types are not checked here
type_form(entity_type, legal_form) as (
    values ('association', 'STOWARZYSZENIE'), ('association', 'STOWARZYSZENIE KULTURY FIZYCZNEJ'),
        ('association', 'ZWIĄZEK STOWARZYSZEŃ'), ('foundation', 'FUNDACJA'),
        ('social_cooperative', 'SPÓŁDZIELNIA')
),
krs_form as (
    select r.entity_id, r.krs, k.legal_form
    from record r
    join staging.krs_entity k on k.source_file = r.source_file and k.source_line = r.source_line
    where r.source = 'krs_entity' and k.legal_form is not null
),
type_contradiction as (
    select 'type_contradiction', f.krs,
        'forma prawna w KRS: ' || f.legal_form,
        'typ w katalogu PES: ' || string_agg(distinct c.entity_type, ', '),
        string_agg(c.record_id, '; ' order by c.record_id), f.entity_id, null::boolean
    from krs_form f
    join record c on c.entity_id = f.entity_id and c.source = 'pes_catalogue'
    where c.entity_type in (select entity_type from type_form)
      and (c.entity_type, f.legal_form) not in (select entity_type, legal_form from type_form)
    group by f.entity_id, f.krs, f.legal_form
)
select * from struck_off
union all select * from outside_region
union all select * from unknown_number
union all select * from type_contradiction
order by topic, krs
