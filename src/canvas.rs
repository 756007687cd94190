//! The canvas widget (issue 6). Not drawn yet.
