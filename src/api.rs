//! The JS API for the host chat app. Not written yet.
