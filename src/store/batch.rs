//! Bulk INSERT statements: one round trip and one bound parameter per batch of rows, which is what
//! makes bulk loads fast on both backends (SQLite's worker thread and PostgreSQL's network hop alike).

use sqlx::AnyConnection;

pub(super) use crate::model::Cell;

/// Rows per statement. Each batch travels as one JSON text parameter that the database unpacks
/// itself (`json_each` in SQLite, `json_array_elements` in PostgreSQL): sqlx's cost per bound
/// parameter dominated bulk loads (measured: ~10 µs per row with one parameter per cell).
const BATCH_ROWS: usize = 2_000;

impl Cell {
    pub(crate) fn pg_type(&self) -> &'static str {
        match self {
            Cell::Text(_) | Cell::OptText(_) => "text",
            Cell::Int(_) => "bigint",
            Cell::Float(_) => "double precision",
        }
    }
}

/// A row that can travel in a batch: it serializes as a JSON array of its cells in column order
/// and names the PostgreSQL type of each cell.
pub(super) trait BatchRow: serde::Serialize {
    fn pg_types(&self) -> Vec<&'static str>;
}

impl BatchRow for Vec<Cell> {
    fn pg_types(&self) -> Vec<&'static str> {
        self.iter().map(Cell::pg_type).collect()
    }
}

/// Inserts `rows` into `table` in batches. `suffix` is appended to every statement, e.g.
/// `ON CONFLICT DO NOTHING` or an `ON CONFLICT (...) DO UPDATE SET ...` clause.
pub(super) async fn insert_rows<R: BatchRow>(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    rows: &[R],
    suffix: &str,
) -> Result<(), sqlx::Error> {
    let Some(first) = rows.first() else {
        return Ok(());
    };
    let postgres = conn.backend_name() == "PostgreSQL";
    // `WHERE true` keeps SQLite from reading a following ON CONFLICT as a join constraint.
    let sql = if postgres {
        let exprs: Vec<String> = first
            .pg_types()
            .iter()
            .enumerate()
            .map(|(i, ty)| format!("(e->>{i})::{ty}"))
            .collect();
        format!(
            "INSERT INTO {table} ({}) SELECT {} FROM json_array_elements($1::json) AS e WHERE true {suffix}",
            columns.join(", "),
            exprs.join(", ")
        )
    } else {
        let exprs: Vec<String> = (0..columns.len())
            .map(|i| format!("value ->> {i}"))
            .collect();
        format!(
            "INSERT INTO {table} ({}) SELECT {} FROM json_each($1) WHERE true {suffix}",
            columns.join(", "),
            exprs.join(", ")
        )
    };
    let encode =
        |chunk: &[R]| serde_json::to_string(chunk).map_err(|e| sqlx::Error::Encode(Box::new(e)));
    let mut chunks = rows.chunks(BATCH_ROWS);
    let mut next = chunks.next().map(encode).transpose()?;
    while let Some(text) = next.take() {
        // The database works on this batch (SQLite on its worker thread, PostgreSQL on the
        // server) while this thread encodes the next one.
        let execute = sqlx::query(&sql).bind(text).execute(&mut *conn);
        let (done, encoded) = tokio::join!(execute, async { chunks.next().map(encode) });
        done?;
        next = encoded.transpose()?;
    }
    Ok(())
}

/// All rows of `columns` from `table` as one JSON document built by the database: one round trip
/// instead of one message per row (sqlx delivered ~6–10 µs per row on SQLite).
/// Each row deserializes as `T`: a tuple in column order, or `Vec<serde_json::Value>`.
pub(super) async fn select_rows<T: serde::de::DeserializeOwned>(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
) -> Result<Vec<T>, sqlx::Error> {
    let text = select_json(conn, table, columns).await?;
    parse_rows(&text, table)
}

/// The JSON text of [`select_rows`], for callers that deserialize rows borrowing from it.
pub(super) async fn select_json(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
) -> Result<String, sqlx::Error> {
    let sql = if conn.backend_name() == "PostgreSQL" {
        format!(
            "SELECT COALESCE(json_agg(json_build_array({})), '[]'::json)::text FROM {table}",
            columns.join(", ")
        )
    } else {
        format!(
            "SELECT json_group_array(json_array({})) FROM {table}",
            columns.join(", ")
        )
    };
    sqlx::query_scalar(&sql).fetch_one(&mut *conn).await
}

/// Rows of a large table read in pages of [`PAGE_ROWS`], so that memory holds a few pages, not
/// the table. Each page is one text built by the database: on SQLite (by rowid ranges, the
/// table's own order) the rows' `columns` joined by unit separators (U+001F) and rows by record
/// separators (U+001E), a NULL as an empty field; on PostgreSQL (paged by the primary key `key`,
/// the first columns of `columns`) a JSON document of `[columns…]` rows. For columns that hold
/// keys, codes and dates (never control characters, never empty). `each` gets every page in
/// order and answers how many rows it had and the last row's key. SQLite pages come from `conn`
/// and a second connection of `pool` taking turns, each on its own worker thread, while this
/// task reads the two pages before (a scan of 6.5 million rows is about twice the work of
/// reading its text).
pub(super) async fn select_pages(
    conn: &mut AnyConnection,
    pool: &sqlx::AnyPool,
    table: &str,
    key: &[&str],
    columns: &[&str],
    each: impl FnMut(Page<'_>) -> Result<(usize, Vec<String>), sqlx::Error>,
) -> Result<(), sqlx::Error> {
    if conn.backend_name() == "PostgreSQL" {
        pages_by_key(conn, table, key, columns, each).await
    } else {
        pages_by_rowid(conn, pool, table, columns, each).await
    }
}

/// One SQLite page: the rows with rowids in `[from, from + PAGE_ROWS)`, none past `hi`.
async fn fetch_rowid_page(
    conn: &mut AnyConnection,
    sql: &str,
    from: i64,
    hi: i64,
) -> Result<Option<String>, sqlx::Error> {
    if from > hi {
        return Ok(None);
    }
    let q = sqlx::query_scalar(sql)
        .bind(from)
        .bind(from.saturating_add(PAGE_ROWS as i64));
    q.fetch_one(conn).await.map(Some)
}

/// SQLite: pages by rowid ranges, from `conn` and a second connection taking turns.
async fn pages_by_rowid(
    conn: &mut AnyConnection,
    pool: &sqlx::AnyPool,
    table: &str,
    columns: &[&str],
    mut each: impl FnMut(Page<'_>) -> Result<(usize, Vec<String>), sqlx::Error>,
) -> Result<(), sqlx::Error> {
    let fields = columns
        .iter()
        .map(|c| format!("ifnull({c}, '')"))
        .collect::<Vec<_>>()
        .join(" || char(31) || ");
    // A rowid range, not `LIMIT`: no subquery whose rows SQLite would copy once more.
    let sql = format!(
        "SELECT ifnull(group_concat({fields}, char(30)), '') FROM {table} \
         WHERE rowid >= $1 AND rowid < $2"
    );
    let (Some(lo), Some(hi)) = rowid_range(&mut *conn, table).await? else {
        return Ok(());
    };
    let mut other = pool.acquire().await?;
    let step = PAGE_ROWS as i64;
    let mut from = lo;
    let (mut a, mut b) = tokio::join!(
        fetch_rowid_page(&mut *conn, &sql, from, hi),
        fetch_rowid_page(&mut other, &sql, from + step, hi)
    );
    loop {
        from += 2 * step;
        let (text_a, text_b) = (a?, b?);
        if text_a.is_none() {
            return Ok(());
        }
        // Both connections build the next two pages while these two are read.
        let (next_a, next_b, done) = tokio::join!(
            fetch_rowid_page(&mut *conn, &sql, from, hi),
            fetch_rowid_page(&mut other, &sql, from + step, hi),
            async {
                for text in [&text_a, &text_b].into_iter().flatten() {
                    each(Page::Separated(text))?;
                }
                Ok::<(), sqlx::Error>(())
            }
        );
        done?;
        (a, b) = (next_a, next_b);
    }
}

/// PostgreSQL: pages of JSON rows, by the primary key (keyset pagination).
async fn pages_by_key(
    conn: &mut AnyConnection,
    table: &str,
    key: &[&str],
    columns: &[&str],
    mut each: impl FnMut(Page<'_>) -> Result<(usize, Vec<String>), sqlx::Error>,
) -> Result<(), sqlx::Error> {
    json_pages(conn, table, key, columns, |text| each(Page::Json(text))).await
}

/// Pages of [`PAGE_ROWS`] rows as JSON documents of `[columns…]` rows (escapes and all), for
/// tables whose text may hold anything: on SQLite by rowid ranges (the table's own order, no
/// sort), on PostgreSQL by the primary key `key` (keyset pagination, each page in key order as
/// the database orders it). `each` gets every page's text and answers how many rows it had and
/// the last row's key (used on PostgreSQL only).
pub(super) async fn json_pages(
    conn: &mut AnyConnection,
    table: &str,
    key: &[&str],
    columns: &[&str],
    mut each: impl FnMut(&str) -> Result<(usize, Vec<String>), sqlx::Error>,
) -> Result<(), sqlx::Error> {
    let cols = columns.join(", ");
    if conn.backend_name() != "PostgreSQL" {
        let sql = format!(
            "SELECT json_group_array(json_array({cols})) FROM {table} \
             WHERE rowid >= $1 AND rowid < $2"
        );
        let (Some(lo), Some(hi)) = rowid_range(&mut *conn, table).await? else {
            return Ok(());
        };
        let mut from = lo;
        while let Some(text) = fetch_rowid_page(&mut *conn, &sql, from, hi).await? {
            each(&text)?;
            from += PAGE_ROWS as i64;
        }
        return Ok(());
    }
    let order = key.join(", ");
    let params = (1..=key.len())
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let page = |filter: &str| {
        format!(
            "SELECT COALESCE(json_agg(json_build_array({cols}) ORDER BY {order}), '[]'::json)::text \
             FROM (SELECT {cols} FROM {table} {filter} ORDER BY {order} LIMIT {PAGE_ROWS}) AS p"
        )
    };
    let (first, next) = (page(""), page(&format!("WHERE ({order}) > ({params})")));
    let mut after: Option<Vec<String>> = None;
    loop {
        let sql = if after.is_some() { &next } else { &first };
        let mut q = sqlx::query_scalar::<_, String>(sql);
        for part in after.iter().flatten() {
            q = q.bind(part.clone());
        }
        let text = q.fetch_one(&mut *conn).await?;
        let (rows, last) = each(&text)?;
        if rows < PAGE_ROWS {
            return Ok(());
        }
        after = Some(last);
    }
}

/// The lowest and highest rowid of a SQLite table (`None` when it is empty).
pub(super) async fn rowid_range(
    conn: &mut AnyConnection,
    table: &str,
) -> Result<(Option<i64>, Option<i64>), sqlx::Error> {
    // Two subqueries: SQLite answers each from the end of the b-tree, but scans the table for
    // `MIN(rowid), MAX(rowid)` in one.
    sqlx::query_as(&format!(
        "SELECT (SELECT MIN(rowid) FROM {table}), (SELECT MAX(rowid) FROM {table})"
    ))
    .fetch_one(conn)
    .await
}

/// One page of [`select_pages`].
#[derive(Debug, Clone, Copy)]
pub(super) enum Page<'a> {
    Separated(&'a str),
    Json(&'a str),
}

/// A row of a [`Page`]: its fields, `None` for NULL.
pub(super) type Fields<'a, const N: usize> = [Option<&'a str>; N];

impl<'a> Page<'a> {
    /// Calls `each` with every row's fields (`None` for NULL), `N` per row, without collecting
    /// them (a page of SQLite text is read in place); returns the number of rows and the last.
    pub(super) fn for_each_row<const N: usize>(
        self,
        table: &str,
        mut each: impl FnMut(&Fields<'a, N>) -> Result<(), sqlx::Error>,
    ) -> Result<(usize, Option<Fields<'a, N>>), sqlx::Error> {
        let (mut count, mut last) = (0, None);
        let mut take = |row: Fields<'a, N>| {
            each(&row)?;
            count += 1;
            last = Some(row);
            Ok::<(), sqlx::Error>(())
        };
        match self {
            Page::Separated(text) => {
                for row in text.split('\u{1e}').filter(|r| !r.is_empty()) {
                    let mut fields = row.split('\u{1f}');
                    let mut out = [None; N];
                    for slot in &mut out {
                        *slot = fields.next().filter(|f| !f.is_empty());
                    }
                    take(out)?;
                }
            }
            Page::Json(text) => {
                let rows: Vec<Vec<Option<&str>>> = parse_rows(text, table)?;
                for row in rows {
                    take(<[Option<&str>; N]>::try_from(row).map_err(|_| {
                        sqlx::Error::Decode(format!("rows of {table}: wrong width").into())
                    })?)?;
                }
            }
        }
        Ok((count, last))
    }
}

/// Rows per page of [`select_pages`].
pub(super) const PAGE_ROWS: usize = 100_000;

/// Rows of a [`select_json`] document; `T` may borrow from `text`.
pub(super) fn parse_rows<'a, T: serde::Deserialize<'a>>(
    text: &'a str,
    table: &str,
) -> Result<Vec<T>, sqlx::Error> {
    serde_json::from_str(text)
        .map_err(|e| sqlx::Error::Decode(format!("rows of {table}: {e}").into()))
}

/// SQLite's limit on bound parameters per statement (`SQLITE_MAX_VARIABLE_NUMBER` since 3.32).
const SQLITE_MAX_PARAMETERS: usize = 32_766;

/// Inserts records into a SQLite table as the bound parameters of multi-row `VALUES`
/// statements, as many rows per statement as the parameter limit allows: SQLite reads a bound
/// value as it is, where a JSON batch costs it a parse of every row twice (measured on 6.5
/// million activations: about a third of the write time). `suffix` as for [`insert_rows`].
pub(super) async fn insert_records_sqlite(
    conn: &mut AnyConnection,
    table: &str,
    columns: &[&str],
    records: &[&crate::model::Record],
    suffix: &str,
) -> Result<(), sqlx::Error> {
    let width = columns.len();
    let per_statement = (SQLITE_MAX_PARAMETERS / width).max(1);
    let statement = |rows: usize| {
        let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        // Anonymous `?` parameters: sqlx asks SQLite for every parameter's name, which for
        // numbered ones (`$n`) walks the list of names each time (quadratic per statement).
        let row = format!("({})", vec!["?"; width].join(", "));
        for r in 0..rows {
            if r > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&row);
        }
        sql.push(' ');
        sql.push_str(suffix);
        sql
    };
    let full = statement(per_statement.min(records.len()));
    for chunk in records.chunks(per_statement) {
        let partial;
        let sql = if chunk.len() == per_statement.min(records.len()) {
            &full
        } else {
            partial = statement(chunk.len());
            &partial
        };
        let mut q = sqlx::query(sql);
        for record in chunk {
            for part in record.key_parts() {
                q = q.bind(part);
            }
            for cell in &record.values {
                q = match cell {
                    Cell::Text(v) => q.bind(v.as_str()),
                    Cell::OptText(v) => q.bind(v.as_deref()),
                    Cell::Int(v) => q.bind(*v),
                    Cell::Float(v) => q.bind(*v),
                };
            }
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}
