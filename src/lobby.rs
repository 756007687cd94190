//! The lobby widget (issue 6). Not drawn yet.
