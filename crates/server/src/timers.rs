//! Server-owned timers.
//!
//! Every timer a widget carries is stamped with `expires_at` and stored in
//! the `timers` table in the same transaction as the widget. A task sleeps
//! until then; when it wakes it checks that the widget still carries that
//! very timer (a later `set_timer` or replacement makes it stale), removes
//! the row and delivers `interaction {type: "timer_expire", action}` with
//! `user_id: null` to the widget's sender. After a restart every stored row
//! is armed again; rows already past fire at once.

use std::sync::atomic::Ordering::Relaxed;
use std::time::Duration;

use serde_json::{Map, Value};

use crate::db::TimerRow;
use crate::outgoing::{publish, Outgoing};
use crate::service::{message_cell, timers_of};
use crate::state::{now_ms, AppState};

/// Arms one timer.
pub fn arm(state: &AppState, t: TimerRow) {
    let state = state.clone();
    tokio::spawn(async move {
        let wait = (t.expires_at - now_ms()).max(0) as u64;
        tokio::time::sleep(Duration::from_millis(wait)).await;
        // Until the sender has a queue to hear it (after a restart, bots
        // come back a moment later), try again every second.
        loop {
            match fire(&state, &t).await {
                Ok(true) => break,
                Ok(false) => tokio::time::sleep(Duration::from_secs(1)).await,
                Err(e) => {
                    tracing::warn!(message_id = t.message_id, error = %e.msg, "timer delivery failed");
                    tokio::time::sleep(Duration::from_secs(5)).await;
                }
            }
        }
    });
}

/// Re-arms every stored timer (at startup).
pub async fn rearm_all(state: &AppState) -> Result<usize, crate::db::DbError> {
    let rows = state.db.timers().await?;
    let n = rows.len();
    for t in rows {
        arm(state, t);
    }
    Ok(n)
}

/// Delivers the expiry: `Ok(true)` when done (or stale), `Ok(false)` when
/// the sender has no queue yet.
async fn fire(state: &AppState, t: &TimerRow) -> Result<bool, crate::error::AppError> {
    let Some(cell) = message_cell(state, t.message_id).await? else {
        return Ok(true);
    };
    let g = cell.lock().await;
    let Some(stored) = &g.widget else {
        return Ok(true);
    };
    if !timers_of(&stored.widget, t.message_id).contains(t) {
        return Ok(true); // replaced or cancelled since
    }
    let sender = g.meta.sender_id;
    if !state.queues.all().iter().any(|q| q.user_id == sender) {
        return Ok(false);
    }
    state
        .db
        .delete_timer(t.message_id, t.child.clone(), t.expires_at)
        .await?;
    let mut it = Map::new();
    it.insert("type".into(), "timer_expire".into());
    it.insert(
        "action".into(),
        t.on_expire.clone().map(Value::from).unwrap_or(Value::Null),
    );
    // The row key is `child` or `child|view:<key>` (a timer in a view).
    let (child, view) = match t.child.split_once("|view:") {
        Some((c, v)) => (c, Some(v)),
        None => (t.child.as_str(), None),
    };
    if !child.is_empty() {
        it.insert("child".into(), child.into());
    }
    if let Some(v) = view {
        it.insert("view".into(), v.into());
    }
    let mut body = Map::new();
    body.insert("type".into(), "interaction".into());
    body.insert("message_id".into(), t.message_id.into());
    body.insert("user_id".into(), Value::Null);
    body.insert("interaction".into(), Value::Object(it));
    body.insert(
        "interaction_id".into(),
        state.next_interaction_id.fetch_add(1, Relaxed).into(),
    );
    state.metrics.timers_fired.fetch_add(1, Relaxed);
    publish(
        state,
        &Outgoing::ToUser {
            user_id: sender,
            body,
        },
    );
    Ok(true)
}
