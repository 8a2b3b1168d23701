//! The web upload's sessions and pending files, in the database so that every replica sees them.

use sqlx::Row;

use super::{Store, StoreError};

/// A signed-in session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSession {
    /// SHA-256 of the cookie value.
    pub id: String,
    /// The token's name (recorded as the import's actor).
    pub actor: String,
    /// The form token every POST must carry.
    pub csrf: String,
    pub expires_at: i64,
}

/// A checked file waiting for "Importieren".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingUpload {
    pub id: String,
    pub session_id: String,
    pub dataset: String,
    pub source_name: String,
    pub format_hint: String,
    /// The file, base64.
    pub content: String,
    pub expires_at: i64,
}

impl Store {
    pub async fn create_session(&self, s: &WebSession) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO web_sessions (id, actor, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&s.id)
        .bind(&s.actor)
        .bind(&s.csrf)
        .bind(crate::model::clock::now_rfc3339())
        .bind(s.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The session with this id if it has not expired at `now`; its expiry moves to `until`.
    pub async fn touch_session(
        &self,
        id: &str,
        now: i64,
        until: i64,
    ) -> Result<Option<WebSession>, StoreError> {
        let row = sqlx::query(
            "SELECT id, actor, csrf, expires_at FROM web_sessions WHERE id = $1 AND expires_at > $2",
        )
        .bind(id)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        sqlx::query("UPDATE web_sessions SET expires_at = $1 WHERE id = $2")
            .bind(until)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(Some(WebSession {
            id: row.try_get(0)?,
            actor: row.try_get(1)?,
            csrf: row.try_get(2)?,
            expires_at: until,
        }))
    }

    /// Ends a session and drops its pending files; also removes every expired session and file.
    pub async fn end_session(&self, id: &str, now: i64) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM web_uploads WHERE session_id = $1 OR expires_at <= $2")
            .bind(id)
            .bind(now)
            .execute(&self.pool)
            .await?;
        sqlx::query("DELETE FROM web_sessions WHERE id = $1 OR expires_at <= $2")
            .bind(id)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn save_upload(&self, u: &PendingUpload) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO web_uploads (id, session_id, dataset, source_name, format_hint, content, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&u.id)
        .bind(&u.session_id)
        .bind(&u.dataset)
        .bind(&u.source_name)
        .bind(&u.format_hint)
        .bind(&u.content)
        .bind(u.expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The pending file of this session, removed (an upload is imported at most once).
    pub async fn take_upload(
        &self,
        id: &str,
        session_id: &str,
        now: i64,
    ) -> Result<Option<PendingUpload>, StoreError> {
        let row = sqlx::query(
            "SELECT id, session_id, dataset, source_name, format_hint, content, expires_at \
             FROM web_uploads WHERE id = $1 AND session_id = $2 AND expires_at > $3",
        )
        .bind(id)
        .bind(session_id)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        let deleted = sqlx::query("DELETE FROM web_uploads WHERE id = $1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        if deleted.rows_affected() == 0 {
            // Another request took it first.
            return Ok(None);
        }
        Ok(Some(PendingUpload {
            id: row.try_get(0)?,
            session_id: row.try_get(1)?,
            dataset: row.try_get(2)?,
            source_name: row.try_get(3)?,
            format_hint: row.try_get(4)?,
            content: row.try_get(5)?,
            expires_at: row.try_get(6)?,
        }))
    }
}
