//! The map widget (issue 6). Not drawn yet.
