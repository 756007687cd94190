//! The inventory widget (issue 6). Not drawn yet.
