-- Sessions of the web upload (/verwaltung): a token exchanged for a cookie. Only the SHA-256 of
-- the cookie value is stored; the session ends at `expires_at` (Unix seconds), which every
-- request moves on by the idle timeout. Shared by every replica.
CREATE TABLE web_sessions (
    id          TEXT PRIMARY KEY,
    actor       TEXT NOT NULL,
    csrf        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  BIGINT NOT NULL
);

-- A file checked by a dry run and waiting for "Importieren": its bytes (base64), bound to the
-- session that uploaded it.
CREATE TABLE web_uploads (
    id           TEXT PRIMARY KEY,
    session_id   TEXT NOT NULL,
    dataset      TEXT NOT NULL,
    source_name  TEXT NOT NULL,
    format_hint  TEXT NOT NULL,
    content      TEXT NOT NULL,
    expires_at   BIGINT NOT NULL
);
