-- Data derived from the records and kept beside them so that a start need not derive it again:
-- the engine's activations in compact form (dense indexes and day numbers), in parts. A cache
-- the store does not interpret: `key` names what the parts were made from (encoding, schema,
-- the dataset's latest import, the administrations and processes the indexes point at); a
-- reader that expects another key reads the records instead. All parts of a name are replaced
-- in one transaction, so they always share one key.
CREATE TABLE snapshot_parts (
    name       TEXT NOT NULL,
    seq        BIGINT NOT NULL,
    key        TEXT NOT NULL,
    row_count  BIGINT NOT NULL,
    bytes      BYTEA NOT NULL,
    PRIMARY KEY (name, seq)
);
