//! The cards widget (issue 6). Not drawn yet.
