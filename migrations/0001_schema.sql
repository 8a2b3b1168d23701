-- digitalatlas schema, shared verbatim by SQLite and PostgreSQL.
-- Portable subset only: TEXT, BIGINT, DOUBLE PRECISION, CHECK, foreign keys, no autoincrement.
-- Dates are ISO-8601 TEXT ('YYYY-MM-DD'), so lexical order is chronological order on both backends.
-- Money is stored in euro cents (BIGINT) so that sums are exact.

-- The reference data set that filled the registry tables (one row per loaded edition).
CREATE TABLE registry_meta (
    edition          TEXT PRIMARY KEY,          -- e.g. 'GV100AD_30112025'
    gebietsstand     TEXT NOT NULL,             -- territorial status date
    population_date  TEXT NOT NULL,             -- reference date of the population figures
    source           TEXT NOT NULL,
    loaded_at        TEXT NOT NULL
);

-- Regions and their hierarchy: Land > Regierungsbezirk > Kreis > Gemeinde.
-- `ars` is the official key of the level (2, 3, 5 or 12 digits); `ags` the 2/3/5/8-digit form.
CREATE TABLE regions (
    ars               TEXT PRIMARY KEY,
    ags               TEXT NOT NULL UNIQUE,
    level             TEXT NOT NULL CHECK (level IN ('land', 'regierungsbezirk', 'kreis', 'gemeinde')),
    name              TEXT NOT NULL,
    name_short        TEXT NOT NULL,
    kind              TEXT NOT NULL,
    parent_ars        TEXT REFERENCES regions (ars),
    kreis             TEXT,
    regierungsbezirk  TEXT,
    population        BIGINT NOT NULL CHECK (population >= 0),
    area_km2          DOUBLE PRECISION NOT NULL CHECK (area_km2 >= 0)
);
CREATE INDEX regions_level ON regions (level);
CREATE INDEX regions_parent ON regions (parent_ars);

-- Planning regions (Regionalverbände); not an ARS level.
CREATE TABLE planning_regions (
    region_key        TEXT PRIMARY KEY,
    name              TEXT NOT NULL,
    seat              TEXT NOT NULL,
    regierungsbezirk  TEXT NOT NULL REFERENCES regions (ars)
);

-- Gemeindeverbände (verbandsfreie Gemeinden, VVG, GVV).
CREATE TABLE municipal_associations (
    verband_ars   TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    verband_type  TEXT NOT NULL,
    seat          TEXT NOT NULL,
    kreis         TEXT NOT NULL REFERENCES regions (ars)
);

-- Extra attributes of a Gemeinde that only that level has.
CREATE TABLE gemeinde_details (
    ars                TEXT PRIMARY KEY REFERENCES regions (ars),
    verband_ars        TEXT NOT NULL REFERENCES municipal_associations (verband_ars),
    region_key         TEXT NOT NULL REFERENCES planning_regions (region_key),
    population_male    BIGINT NOT NULL,
    plz                TEXT NOT NULL,
    plz_unique         BIGINT NOT NULL CHECK (plz_unique IN (0, 1))
);

-- Administrations that can train Digitallotsen and activate processes: every Gemeinde (id = AGS)
-- and every Landratsamt (id = 5-digit Kreis key). 1,101 + 35 = 1,136 targets in Baden-Württemberg.
CREATE TABLE administrations (
    id          TEXT PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('gemeinde', 'landratsamt')),
    region_ars  TEXT NOT NULL REFERENCES regions (ars),
    kreis       TEXT NOT NULL REFERENCES regions (ars)
);
CREATE INDEX administrations_kreis ON administrations (kreis);

-- OZG reference catalogue (federal OZG-Umsetzungskatalog and LeiKa), shipped with the binary.
CREATE TABLE ozg_services (
    ozg_id      TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    lebenslage  TEXT NOT NULL,
    themenfeld  TEXT NOT NULL
);
CREATE TABLE leika_services (
    leika_key   TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    leika_type  TEXT NOT NULL,
    ozg_id      TEXT
);

-- The service-bw process catalogue: Standard- and Universalprozesse (imported dataset `prozesse`).
CREATE TABLE processes (
    process_id  TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    art         TEXT NOT NULL CHECK (art IN ('standard', 'universal')),
    leika_key   TEXT,
    ozg_id      TEXT,
    themenfeld  TEXT
);

-- One completed course of one (pseudonymous) participant (dataset `qualifikationen`).
CREATE TABLE qualifications (
    participant_id     TEXT NOT NULL,
    course             TEXT NOT NULL,
    completed_on       TEXT NOT NULL,
    administration_id  TEXT NOT NULL REFERENCES administrations (id),
    programme          TEXT NOT NULL CHECK (programme IN ('basis', 'aufbau')),
    provider           TEXT NOT NULL,
    seminar_days       BIGINT NOT NULL CHECK (seminar_days >= 0),
    voucher_cents      BIGINT NOT NULL CHECK (voucher_cents >= 0),
    PRIMARY KEY (participant_id, course, completed_on)
);
CREATE INDEX qualifications_administration ON qualifications (administration_id);

-- Activation history of a process in an administration (dataset `aktivierungen`).
CREATE TABLE activations (
    administration_id  TEXT NOT NULL REFERENCES administrations (id),
    process_id         TEXT NOT NULL REFERENCES processes (process_id),
    activated_on       TEXT NOT NULL,
    deactivated_on     TEXT,
    PRIMARY KEY (administration_id, process_id, activated_on),
    CHECK (deactivated_on IS NULL OR deactivated_on >= activated_on)
);

-- service-bw user accounts per reference date (dataset `konten`).
-- `scope` is the administration id, or '' for a Land-wide count.
CREATE TABLE servicebw_accounts (
    reference_date  TEXT NOT NULL,
    account_type    TEXT NOT NULL CHECK (account_type IN ('buerger', 'organisation')),
    scope           TEXT NOT NULL,
    count           BIGINT NOT NULL CHECK (count >= 0),
    PRIMARY KEY (reference_date, account_type, scope)
);

-- Every import attempt that wrote (or, for a dry run, would have written) records.
CREATE TABLE import_log (
    id           BIGINT PRIMARY KEY,
    dataset      TEXT NOT NULL,
    source_name  TEXT NOT NULL,
    checksum     TEXT NOT NULL,
    rows_total   BIGINT NOT NULL,
    inserted     BIGINT NOT NULL,
    updated      BIGINT NOT NULL,
    unchanged    BIGINT NOT NULL,
    actor        TEXT NOT NULL,
    imported_at  TEXT NOT NULL
);
