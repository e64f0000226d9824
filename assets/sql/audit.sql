-- Tables every source writes into; created once, filled by each staging asset.
create schema if not exists audit;
create schema if not exists landing;

-- Every file ever landed: the original's sha256 and the landed copy (pseudonymised when the
-- original held personal data, then the two hashes differ).
create table if not exists landing.file_registry (
    source varchar not null,
    original_name varchar not null,
    original_sha256 varchar not null,
    landed_sha256 varchar not null,
    landed_path varchar not null,       -- relative to the landing folder, so it can move
    size_bytes bigint not null,
    pseudonymised boolean not null,
    landed_at timestamp not null,
    run_id varchar not null
);

-- The files this refresh reads, per landing source.
create table if not exists landing.current_input (
    source varchar not null,
    original_name varchar not null,
    original_sha256 varchar not null,
    landed_sha256 varchar not null,
    landed_path varchar not null,
    data_as_of date
);

-- One quarantine for every source: where the row is and why, never the value itself.
create table if not exists audit.quarantine (
    source varchar not null,
    file varchar not null,
    sheet varchar,
    line bigint not null,
    field varchar not null,
    reason_code varchar not null,
    message varchar not null,
    run_id varchar not null
);

-- Per staging table and file: rows read = accepted + quarantined, and whether it is stale.
create table if not exists audit.source_file (
    source varchar not null,
    file_name varchar,
    landed_sha256 varchar,
    data_as_of date,
    rows_read bigint,
    rows_accepted bigint,
    rows_quarantined bigint,
    is_stale boolean not null,
    stale_reason varchar,
    run_id varchar not null
);

-- The outcome of every data-quality check of the last refresh, as the analyst reads it.
create table if not exists audit.check_result (
    asset varchar not null,
    check_name varchar not null,
    check_label_pl varchar not null,
    severity varchar not null,          -- 'error' blocks the publication, 'warning' does not
    passed boolean not null,
    summary_pl varchar not null,
    advice_pl varchar,
    details varchar,                    -- JSON: counts and examples, never a personal value
    run_id varchar not null,
    checked_at timestamp not null
);

-- Every header of every file a staging table read, and what the reading made of it: used (by
-- which field), ignored on purpose, or unknown (with the nearest field and what to do).
create table if not exists audit.source_header (
    source varchar not null,
    file varchar not null,
    sheet varchar,
    header varchar not null,            -- as written in the file
    status varchar not null,            -- used | ignored | unknown | dropped_personal
    field varchar,
    field_header varchar,
    links_or_places boolean not null,
    message_pl varchar,
    run_id varchar not null
);

-- Columns removed from a sheet with personal data before it was landed (not on the reader's
-- allow-list), recorded once per original file; the report names them, never their values.
create table if not exists landing.dropped_column (
    source varchar not null,
    original_sha256 varchar not null,
    original_name varchar not null,
    sheet varchar not null,
    header varchar not null,
    run_id varchar not null
);

-- Field-level quarantine (docs/entity_model.md): a bad identifier is set aside, its row stays.
-- `scope` says whether the quarantine row took the whole row out or only the field's value;
-- `values_set_aside` counts such values per file (not rows: read = accepted + quarantined).
alter table audit.quarantine add column if not exists scope varchar default 'row';
alter table audit.source_file add column if not exists values_set_aside bigint default 0;

-- The rows of each source as last published (the volume guard's baseline, assets/checks.py):
-- replaced per source when a publication goes out, never by a run that is held back.
create table if not exists audit.accepted_volume (
    source varchar not null,
    files varchar not null,             -- the file names as the analyst reads them
    rows_read bigint not null,
    run_id varchar not null,
    recorded_at timestamp not null
);
