//! Timers drawn from the server's `expires_at`. Not written yet.
