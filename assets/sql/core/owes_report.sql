-- core.owes_report: one row per OWES report in use (one per centre and quarter), with the
-- version of the file that was read and its headline totals beside what its detail sheets list.
--
-- Version: a corrected report is sent under the same file name; landing keeps every copy it
-- received (landing.file_registry), the inbox only the newest (landing.current_input). The
-- version read is the rank of the current copy among the copies of that name, by arrival.
-- Rows listed: the detail sheet's rows as written, accepted or quarantined (a row with a wrong
-- NIP is still a row the centre listed), so the comparison is the report against itself.
with report as (
    select source_file, any_value(centre_code) as centre_code,
           any_value(centre_name) as centre_name, any_value(quarter) as quarter,
           any_value(quarter_start) as quarter_start
    from (
        select source_file, centre_code, centre_name, quarter, quarter_start
        from staging.owes_indicator
        union all
        select source_file, centre_code, centre_name, quarter, quarter_start
        from staging.owes_supported_entity
        union all
        select source_file, centre_code, centre_name, quarter, quarter_start
        from staging.owes_job
    )
    group by source_file
),
copies as (
    select original_name, landed_sha256, min(landed_at) as received_at
    from landing.file_registry
    where source = 'owes'
    group by original_name, landed_sha256
),
versions as (
    select *,
        row_number() over (partition by original_name order by received_at, landed_sha256)
            as version,
        count(*) over (partition by original_name) as versions_received
    from copies
),
used as (
    select c.original_name, c.landed_sha256, v.version, v.versions_received, v.received_at
    from landing.current_input c
    join versions v using (original_name, landed_sha256)
    where c.source = 'owes'
),
headline as (
    select source_file,
        sum(value) filter (where indicator = 'owes_entities_supported') as entities_supported,
        sum(value) filter (where indicator = 'owes_social_enterprises_created')
            as social_enterprises_created,
        sum(value) filter (where indicator = 'owes_jobs_created') as jobs_created,
        sum(value) filter (where indicator = 'owes_persons_supported') as persons_supported
    from staging.owes_indicator
    group by source_file
),
supported_rows as (
    select file, count(*) as rows_listed
    from (
        select source_file as file, source_line as line from staging.owes_supported_entity
        union
        select file, line from audit.quarantine where source = 'owes_supported_entity'
    )
    group by file
),
job_rows as (
    select file, count(*) as rows_listed
    from (
        select source_file as file, source_line as line from staging.owes_job
        union
        select file, line from audit.quarantine where source = 'owes_job'
    )
    group by file
)
select
    r.centre_code,
    r.centre_name,
    r.quarter,
    r.quarter_start,
    r.source_file,
    u.landed_sha256,
    u.version,
    u.versions_received,
    u.received_at,
    h.entities_supported,
    coalesce(s.rows_listed, 0) as entities_listed,
    h.social_enterprises_created,
    h.jobs_created,
    coalesce(j.rows_listed, 0) as jobs_listed,
    h.persons_supported
from report r
left join used u on u.original_name = r.source_file
left join headline h using (source_file)
left join supported_rows s on s.file = r.source_file
left join job_rows j on j.file = r.source_file
order by r.quarter_start, r.centre_code
