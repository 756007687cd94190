//! Sound effects through Web Audio. Not written yet.
