//! The aria-live region that announces changes. Not written yet.
