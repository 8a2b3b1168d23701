-- The two foreign keys of `activations` (to administrations and processes) move out of the
-- schema: an import checks every distinct administration and process of a delivery as a set,
-- inside its transaction and under the import lock (src/store/references.rs). Checked row by
-- row, they were about 80 % of a PostgreSQL import's write time at millions of rows, and SQLite
-- looked both up again for every row. Neither key table ever loses a row (the registry is
-- written once, processes are only inserted or updated).
-- Portable table rebuild: SQLite cannot drop a constraint in place.
CREATE TABLE activations_v4 (
    administration_id  TEXT NOT NULL,
    process_id         TEXT NOT NULL,
    activated_on       TEXT NOT NULL,
    deactivated_on     TEXT,
    PRIMARY KEY (administration_id, process_id, activated_on),
    CHECK (deactivated_on IS NULL OR deactivated_on >= activated_on)
);
INSERT INTO activations_v4 (administration_id, process_id, activated_on, deactivated_on)
SELECT administration_id, process_id, activated_on, deactivated_on FROM activations
ORDER BY administration_id, process_id, activated_on;
DROP TABLE activations;
ALTER TABLE activations_v4 RENAME TO activations;
