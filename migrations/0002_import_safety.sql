-- One row that every writing import updates first, inside its transaction: imports serialise on
-- it across processes and replicas (SQLite: the database write lock, waited for with the busy
-- timeout; PostgreSQL: the row lock, waited for with lock_timeout), so that the diff against the
-- stored rows and the next import-log id stay true while another import runs.
CREATE TABLE import_lock (
    id      BIGINT PRIMARY KEY,
    holder  TEXT NOT NULL,
    since   TEXT NOT NULL
);
INSERT INTO import_lock (id, holder, since) VALUES (1, '', '');

-- Imports that were refused or failed; nothing of them was written. The id is random text, so
-- that processes never collide without taking the import lock.
CREATE TABLE import_failures (
    id           TEXT PRIMARY KEY,
    dataset      TEXT NOT NULL,
    source_name  TEXT NOT NULL,
    actor        TEXT NOT NULL,
    reason       TEXT NOT NULL,
    message      TEXT NOT NULL,
    failed_at    TEXT NOT NULL
);
CREATE INDEX import_failures_failed_at ON import_failures (failed_at);
