//! SQLite persistence: users, messages (with their widget, version and the
//! sender's private `bot_state`), bot commands and armed timers.
//!
//! One connection behind a mutex; every call runs on tokio's blocking pool
//! (`spawn_blocking`) so that a slow disk never stalls the async workers.
//! The schema is created and migrated on open (`PRAGMA user_version`).

use std::path::Path;
use std::sync::{Arc, Mutex};

use rusqlite::{params, Connection, OptionalExtension};

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("database task failed: {0}")]
    Join(#[from] tokio::task::JoinError),
    #[error("database lock poisoned")]
    Poisoned,
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

/// The current schema version.
const SCHEMA_VERSION: i64 = 2;

const MIGRATION_1: &str = "
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    is_bot INTEGER NOT NULL,
    api_key TEXT NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS messages (
    id INTEGER PRIMARY KEY,
    topic TEXT NOT NULL,
    sender_id INTEGER NOT NULL REFERENCES users(id),
    content TEXT NOT NULL,
    widget TEXT,
    version INTEGER NOT NULL,
    timestamp_ms INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_topic ON messages(topic, id);
CREATE TABLE IF NOT EXISTS commands (
    name TEXT PRIMARY KEY,
    bot_id INTEGER NOT NULL REFERENCES users(id)
);
CREATE TABLE IF NOT EXISTS timers (
    message_id INTEGER NOT NULL REFERENCES messages(id),
    child TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    on_expire TEXT,
    PRIMARY KEY (message_id, child)
);
";

/// Version 2: the sender's durable per-message state (JSON text, never
/// sent to anyone but the sender), written in the same transaction as the
/// widget it belongs to.
const MIGRATION_2: &str = "ALTER TABLE messages ADD COLUMN bot_state TEXT;";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    pub is_bot: bool,
    pub api_key: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MessageRow {
    pub id: i64,
    pub topic: String,
    pub sender_id: i64,
    pub content: String,
    pub widget: Option<String>,
    pub version: i64,
    pub timestamp_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimerRow {
    pub message_id: i64,
    /// The composite child's id, or "" for the widget itself.
    pub child: String,
    pub expires_at: i64,
    pub on_expire: Option<String>,
}

#[derive(Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

impl Db {
    /// Opens (creating and migrating) the database at `path`.
    pub fn open(path: &Path) -> Result<Db, DbError> {
        let conn = Connection::open(path)?;
        Self::setup(conn)
    }

    /// An in-memory database (tests).
    pub fn open_in_memory() -> Result<Db, DbError> {
        Self::setup(Connection::open_in_memory()?)
    }

    fn setup(conn: Connection) -> Result<Db, DbError> {
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version < 1 {
            conn.execute_batch(MIGRATION_1)?;
        }
        if version < 2 {
            conn.execute_batch(MIGRATION_2)?;
        }
        if version < SCHEMA_VERSION {
            conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        }
        Ok(Db {
            conn: Arc::new(Mutex::new(conn)),
        })
    }

    /// Runs `f` with the connection on the blocking pool.
    pub async fn call<T, F>(&self, f: F) -> Result<T, DbError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, DbError> + Send + 'static,
    {
        let conn = self.conn.clone();
        tokio::task::spawn_blocking(move || {
            let mut guard = conn.lock().map_err(|_| DbError::Poisoned)?;
            f(&mut guard)
        })
        .await?
    }

    pub async fn user_by_key(&self, key: String) -> Result<Option<UserRow>, DbError> {
        self.call(move |c| {
            Ok(c.query_row(
                "SELECT id, name, is_bot, api_key FROM users WHERE api_key = ?1",
                params![key],
                user_row,
            )
            .optional()?)
        })
        .await
    }

    pub async fn user_by_id(&self, id: i64) -> Result<Option<UserRow>, DbError> {
        self.call(move |c| {
            Ok(c.query_row(
                "SELECT id, name, is_bot, api_key FROM users WHERE id = ?1",
                params![id],
                user_row,
            )
            .optional()?)
        })
        .await
    }

    /// Every user's id, name and bot flag (at most `limit`), oldest first.
    pub async fn users(&self, limit: u32) -> Result<Vec<(i64, String, bool)>, DbError> {
        self.call(move |c| {
            let mut st = c.prepare("SELECT id, name, is_bot FROM users ORDER BY id LIMIT ?1")?;
            let rows = st.query_map(params![limit], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    /// The topics that have messages, most recently active first, with the
    /// id of their newest message (at most `limit`).
    pub async fn topics(&self, limit: u32) -> Result<Vec<(String, i64)>, DbError> {
        self.call(move |c| {
            let mut st = c.prepare(
                "SELECT topic, MAX(id) AS last FROM messages GROUP BY topic ORDER BY last DESC LIMIT ?1",
            )?;
            let rows = st.query_map(params![limit], |r| Ok((r.get(0)?, r.get(1)?)))?;
            Ok(rows.collect::<Result<Vec<_>, _>>()?)
        })
        .await
    }

    /// Finds the user called `name`, or makes one with `api_key`.
    pub async fn find_or_create_user(
        &self,
        name: String,
        is_bot: bool,
        api_key: String,
        now_ms: i64,
    ) -> Result<UserRow, DbError> {
        self.call(move |c| {
            let tx = c.transaction()?;
            let found = tx
                .query_row(
                    "SELECT id, name, is_bot, api_key FROM users WHERE name = ?1",
                    params![name],
                    user_row,
                )
                .optional()?;
            let row = match found {
                Some(r) => r,
                None => {
                    tx.execute(
                        "INSERT INTO users (name, is_bot, api_key, created_ms) VALUES (?1, ?2, ?3, ?4)",
                        params![name, is_bot, api_key, now_ms],
                    )?;
                    UserRow {
                        id: tx.last_insert_rowid(),
                        name,
                        is_bot,
                        api_key,
                    }
                }
            };
            tx.commit()?;
            Ok(row)
        })
        .await
    }

    /// Inserts a message (with its timers and the sender's state) in one
    /// transaction; returns its id.
    pub async fn insert_message(
        &self,
        row: MessageRow,
        timers: Vec<TimerRow>,
        bot_state: Option<String>,
    ) -> Result<i64, DbError> {
        self.call(move |c| {
            let tx = c.transaction()?;
            tx.execute(
                "INSERT INTO messages (topic, sender_id, content, widget, version, timestamp_ms, bot_state)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    row.topic,
                    row.sender_id,
                    row.content,
                    row.widget,
                    row.version,
                    row.timestamp_ms,
                    bot_state
                ],
            )?;
            let id = tx.last_insert_rowid();
            insert_timers(&tx, id, &timers)?;
            tx.commit()?;
            Ok(id)
        })
        .await
    }

    /// Stores a widget's new state; replaces its timers when `timers` is
    /// given, and the sender's state when `bot_state` is (all or nothing).
    pub async fn update_widget(
        &self,
        id: i64,
        widget: String,
        version: i64,
        timers: Option<Vec<TimerRow>>,
        bot_state: Option<String>,
    ) -> Result<(), DbError> {
        self.call(move |c| {
            let tx = c.transaction()?;
            tx.execute(
                "UPDATE messages SET widget = ?1, version = ?2 WHERE id = ?3",
                params![widget, version, id],
            )?;
            if let Some(s) = bot_state {
                tx.execute(
                    "UPDATE messages SET bot_state = ?1 WHERE id = ?2",
                    params![s, id],
                )?;
            }
            if let Some(timers) = timers {
                tx.execute("DELETE FROM timers WHERE message_id = ?1", params![id])?;
                insert_timers(&tx, id, &timers)?;
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// Sets (or, with `None`, clears) the sender's state of message `id`.
    pub async fn set_bot_state(&self, id: i64, bot_state: Option<String>) -> Result<(), DbError> {
        self.call(move |c| {
            c.execute(
                "UPDATE messages SET bot_state = ?1 WHERE id = ?2",
                params![bot_state, id],
            )?;
            Ok(())
        })
        .await
    }

    /// The sender's state of message `id` and the widget version it goes
    /// with; `None` when there is no such message.
    pub async fn bot_state(&self, id: i64) -> Result<Option<(Option<String>, i64)>, DbError> {
        self.call(move |c| {
            Ok(c.query_row(
                "SELECT bot_state, version FROM messages WHERE id = ?1",
                params![id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
        })
        .await
    }

    pub async fn message(&self, id: i64) -> Result<Option<MessageRow>, DbError> {
        self.call(move |c| {
            Ok(c.query_row(
                "SELECT id, topic, sender_id, content, widget, version, timestamp_ms FROM messages WHERE id = ?1",
                params![id],
                message_row,
            )
            .optional()?)
        })
        .await
    }

    /// Ids of up to `num_before` messages of `topic` at or before `anchor`
    /// and up to `num_after` after it, oldest first.
    pub async fn history_ids(
        &self,
        topic: String,
        anchor: i64,
        num_before: i64,
        num_after: i64,
    ) -> Result<Vec<i64>, DbError> {
        self.call(move |c| {
            let mut before: Vec<i64> = c
                .prepare_cached(
                    "SELECT id FROM messages WHERE topic = ?1 AND id <= ?2 ORDER BY id DESC LIMIT ?3",
                )?
                .query_map(params![topic, anchor, num_before], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            before.reverse();
            let after: Vec<i64> = c
                .prepare_cached(
                    "SELECT id FROM messages WHERE topic = ?1 AND id > ?2 ORDER BY id ASC LIMIT ?3",
                )?
                .query_map(params![topic, anchor, num_after], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            before.extend(after);
            Ok(before)
        })
        .await
    }

    pub async fn timers(&self) -> Result<Vec<TimerRow>, DbError> {
        self.call(|c| {
            let rows = c
                .prepare("SELECT message_id, child, expires_at, on_expire FROM timers")?
                .query_map([], |r| {
                    Ok(TimerRow {
                        message_id: r.get(0)?,
                        child: r.get(1)?,
                        expires_at: r.get(2)?,
                        on_expire: r.get(3)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        })
        .await
    }

    /// Removes a fired timer, if it is still the one that fired.
    pub async fn delete_timer(
        &self,
        message_id: i64,
        child: String,
        expires_at: i64,
    ) -> Result<(), DbError> {
        self.call(move |c| {
            c.execute(
                "DELETE FROM timers WHERE message_id = ?1 AND child = ?2 AND expires_at = ?3",
                params![message_id, child, expires_at],
            )?;
            Ok(())
        })
        .await
    }

    /// Registers commands for a bot. Fails with the first name another bot owns.
    pub async fn register_commands(
        &self,
        bot_id: i64,
        names: Vec<String>,
    ) -> Result<Result<(), String>, DbError> {
        self.call(move |c| {
            let tx = c.transaction()?;
            for n in &names {
                let owner: Option<i64> = tx
                    .query_row(
                        "SELECT bot_id FROM commands WHERE name = ?1",
                        params![n],
                        |r| r.get(0),
                    )
                    .optional()?;
                if owner.is_some_and(|o| o != bot_id) {
                    return Ok(Err(n.clone()));
                }
                tx.execute(
                    "INSERT OR REPLACE INTO commands (name, bot_id) VALUES (?1, ?2)",
                    params![n, bot_id],
                )?;
            }
            tx.commit()?;
            Ok(Ok(()))
        })
        .await
    }

    pub async fn command_owner(&self, name: String) -> Result<Option<i64>, DbError> {
        self.call(move |c| {
            Ok(c.query_row(
                "SELECT bot_id FROM commands WHERE name = ?1",
                params![name],
                |r| r.get(0),
            )
            .optional()?)
        })
        .await
    }

    pub async fn commands_of(&self, bot_id: i64) -> Result<Vec<String>, DbError> {
        self.call(move |c| {
            Ok(
                c.prepare("SELECT name FROM commands WHERE bot_id = ?1 ORDER BY name")?
                    .query_map(params![bot_id], |r| r.get(0))?
                    .collect::<Result<Vec<String>, _>>()?,
            )
        })
        .await
    }
}

fn user_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<UserRow> {
    Ok(UserRow {
        id: r.get(0)?,
        name: r.get(1)?,
        is_bot: r.get(2)?,
        api_key: r.get(3)?,
    })
}

fn message_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MessageRow> {
    Ok(MessageRow {
        id: r.get(0)?,
        topic: r.get(1)?,
        sender_id: r.get(2)?,
        content: r.get(3)?,
        widget: r.get(4)?,
        version: r.get(5)?,
        timestamp_ms: r.get(6)?,
    })
}

/// Stores a message's armed timers (inside the caller's transaction).
fn insert_timers(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
    timers: &[TimerRow],
) -> rusqlite::Result<()> {
    for t in timers {
        tx.execute(
            "INSERT OR REPLACE INTO timers (message_id, child, expires_at, on_expire) VALUES (?1, ?2, ?3, ?4)",
            params![id, t.child, t.expires_at, t.on_expire],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_version_1_database_gains_bot_state() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("old.db");
        {
            let c = Connection::open(&path).expect("open");
            c.execute_batch(MIGRATION_1).expect("v1");
            c.pragma_update(None, "user_version", 1).expect("version");
            c.execute(
                "INSERT INTO users (name, is_bot, api_key, created_ms) VALUES ('b', 1, 'k', 0)",
                [],
            )
            .expect("user");
            c.execute(
                "INSERT INTO messages (topic, sender_id, content, widget, version, timestamp_ms)
                 VALUES ('t', 1, '', NULL, 3, 0)",
                [],
            )
            .expect("message");
        }
        let db = Db::open(&path).expect("migrate");
        assert_eq!(db.bot_state(1).await.expect("read"), Some((None, 3)));
        db.set_bot_state(1, Some("{\"n\":1}".into()))
            .await
            .expect("write");
        assert_eq!(
            db.bot_state(1).await.expect("read"),
            Some((Some("{\"n\":1}".into()), 3))
        );
        drop(db);
        // Opening again migrates nothing twice.
        let db = Db::open(&path).expect("reopen");
        assert_eq!(db.bot_state(2).await.expect("read"), None);
    }
}
