-- Planning regions (Regionalverbände) exist in Baden-Württemberg only: a Gemeinde of another Land
-- (`--land`) has none, so its `region_key` may be empty (NULL). Rebuilt the portable way (SQLite
-- cannot drop a NOT NULL constraint in place); nothing references this table.
CREATE TABLE gemeinde_details_new (
    ars                TEXT PRIMARY KEY REFERENCES regions (ars),
    verband_ars        TEXT NOT NULL REFERENCES municipal_associations (verband_ars),
    region_key         TEXT REFERENCES planning_regions (region_key),
    population_male    BIGINT NOT NULL,
    plz                TEXT NOT NULL,
    plz_unique         BIGINT NOT NULL CHECK (plz_unique IN (0, 1))
);
INSERT INTO gemeinde_details_new (ars, verband_ars, region_key, population_male, plz, plz_unique)
    SELECT ars, verband_ars, region_key, population_male, plz, plz_unique FROM gemeinde_details;
DROP TABLE gemeinde_details;
ALTER TABLE gemeinde_details_new RENAME TO gemeinde_details;
