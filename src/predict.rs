//! Client-side prediction. Not written yet.
