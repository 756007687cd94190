//! Animation curves and tweens (issue 6). Not written yet.
