//! Connected mode: event queue over WebSocket or long-poll. Not written yet.
