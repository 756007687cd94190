//! Typed errors with a stable code and a JSON path.

use std::fmt;

/// A stable, machine-readable error code. The string forms are part of the
/// contract: bots and clients match on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Code {
    /// The input is not JSON at all.
    InvalidJson,
    /// A field that the schema does not know.
    UnknownField,
    /// A field has the wrong type, a required field is missing, or an enum
    /// value is not one of the allowed ones.
    InvalidType,
    /// `widget_type` names no widget kind.
    UnknownWidgetType,
    /// A number is outside its allowed range.
    OutOfRange,
    /// A string is longer than allowed (10,000 characters, or an id's 256).
    StringTooLong,
    /// A list holds more elements than allowed.
    TooMany,
    /// The payload is larger than allowed.
    TooLarge,
    /// Nesting is deeper than allowed.
    TooDeep,
    /// Not an allowed colour.
    InvalidColor,
    /// Not an allowed URL.
    InvalidUrl,
    /// Two elements share an id (or a cell its coordinates).
    DuplicateId,
    /// An update names an element that does not exist.
    UnknownId,
    /// A field is not allowed where it stands (for example `views` inside a view).
    NotAllowedHere,
    /// An update operation that this widget kind does not have.
    InvalidUpdate,
    /// An interaction that does not fit this widget.
    InvalidInteraction,
    /// The user may not perform this interaction.
    NotAllowed,
    /// Turns are enforced and it is someone else's turn.
    NotYourTurn,
}

impl Code {
    pub const ALL: [Code; 18] = [
        Code::InvalidJson,
        Code::UnknownField,
        Code::InvalidType,
        Code::UnknownWidgetType,
        Code::OutOfRange,
        Code::StringTooLong,
        Code::TooMany,
        Code::TooLarge,
        Code::TooDeep,
        Code::InvalidColor,
        Code::InvalidUrl,
        Code::DuplicateId,
        Code::UnknownId,
        Code::NotAllowedHere,
        Code::InvalidUpdate,
        Code::InvalidInteraction,
        Code::NotAllowed,
        Code::NotYourTurn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidJson => "INVALID_JSON",
            Code::UnknownField => "UNKNOWN_FIELD",
            Code::InvalidType => "INVALID_TYPE",
            Code::UnknownWidgetType => "UNKNOWN_WIDGET_TYPE",
            Code::OutOfRange => "OUT_OF_RANGE",
            Code::StringTooLong => "STRING_TOO_LONG",
            Code::TooMany => "TOO_MANY",
            Code::TooLarge => "TOO_LARGE",
            Code::TooDeep => "TOO_DEEP",
            Code::InvalidColor => "INVALID_COLOR",
            Code::InvalidUrl => "INVALID_URL",
            Code::DuplicateId => "DUPLICATE_ID",
            Code::UnknownId => "UNKNOWN_ID",
            Code::NotAllowedHere => "NOT_ALLOWED_HERE",
            Code::InvalidUpdate => "INVALID_UPDATE",
            Code::InvalidInteraction => "INVALID_INTERACTION",
            Code::NotAllowed => "NOT_ALLOWED",
            Code::NotYourTurn => "NOT_YOUR_TURN",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem with a payload, an update or an interaction.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code} at {path}: {msg}")]
pub struct WidgetError {
    pub code: Code,
    /// JSON path of the offending value, such as `extra_data.cells[3].bg`.
    /// Empty for the document itself.
    pub path: String,
    /// A human-readable explanation. Never contains the rejected value when
    /// that value could be a secret of another widget.
    pub msg: String,
}

impl WidgetError {
    pub fn new(code: Code, path: impl Into<String>, msg: impl Into<String>) -> Self {
        WidgetError {
            code,
            path: path.into(),
            msg: msg.into(),
        }
    }
}

/// Every problem found in one input, in document order. Never empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.first().map(|e| e.to_string()).unwrap_or_default())]
pub struct Errors(pub Vec<WidgetError>);

impl Errors {
    pub fn one(code: Code, path: impl Into<String>, msg: impl Into<String>) -> Self {
        Errors(vec![WidgetError::new(code, path, msg)])
    }

    /// The first error: what a one-line reply reports.
    pub fn first(&self) -> Option<&WidgetError> {
        self.0.first()
    }

    pub fn iter(&self) -> impl Iterator<Item = &WidgetError> {
        self.0.iter()
    }
}

impl From<WidgetError> for Errors {
    fn from(e: WidgetError) -> Self {
        Errors(vec![e])
    }
}
