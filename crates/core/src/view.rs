//! Per-user view resolution (PROTOCOL.md 3).
//!
//! A viewer's view is: the base `extra_data`, with the fields of the viewer's
//! explicit view (or of `default`) laid over it, `views` removed, and every
//! element that is `hidden_for_others` and not owned by the viewer redacted:
//! a card turns face down and loses `face`, `image` and `selected`; a grid
//! cell, sprite, inventory item or map marker is left out entirely (even its
//! position would be information). This is the only place that decides what
//! a viewer sees; the per-viewer update (`diff`) and interaction checks use
//! it too.

use serde_json::{Map, Value};

use crate::error::WidgetError;
use crate::ids::UserId;
use crate::model::*;
use crate::parse::body_from_value;

/// Who a widget is resolved for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    /// The widget's sender (its bot): sees everything, `views` included.
    Sender,
    /// Any other user.
    User(UserId),
}

impl Viewer {
    pub fn user(id: impl Into<UserId>) -> Self {
        Viewer::User(id.into())
    }

    pub fn user_id(&self) -> Option<&UserId> {
        match self {
            Viewer::Sender => None,
            Viewer::User(u) => Some(u),
        }
    }

    /// Whether this viewer sees an element with this owner and flag.
    #[inline]
    pub fn sees(&self, owner: &Option<UserId>, hidden_for_others: Option<bool>) -> bool {
        match self {
            Viewer::Sender => true,
            Viewer::User(u) => !hidden_for_others.unwrap_or(false) || owner.as_ref() == Some(u),
        }
    }
}

impl From<UserId> for Viewer {
    fn from(u: UserId) -> Self {
        Viewer::User(u)
    }
}

/// The view of `widget` for `viewer`.
pub fn resolve(widget: &Widget, viewer: &Viewer) -> Widget {
    Widget {
        body: resolve_body(&widget.body, viewer),
    }
}

/// The view of one body (and, for a composite, of its children).
pub fn resolve_body(body: &Body, viewer: &Viewer) -> Body {
    let Viewer::User(user) = viewer else {
        return body.clone();
    };
    let mut out = match pick_view(body, user) {
        Some(fields) => merge_view(body, fields, "extra_data").unwrap_or_else(|_| {
            // Validation makes this unreachable; if it ever happens, show the
            // base without views rather than anything of the view.
            body.clone()
        }),
        None => body.clone(),
    };
    *out.common_mut().views = None;
    redact(&mut out, viewer);
    if let Body::Composite(c) = &mut out {
        for child in &mut c.widgets {
            child.body = resolve_body(&child.body, viewer);
        }
    }
    out
}

/// The explicit view that applies to `user`: their own, else `default`.
pub fn pick_view<'a>(body: &'a Body, user: &UserId) -> Option<&'a Map<String, Value>> {
    let views = body.common().views.as_ref()?;
    views.get(user.as_str()).or_else(|| views.get("default"))
}

/// The base with a view's fields laid over it (and without `views`).
pub fn merge_view(
    base: &Body,
    fields: &Map<String, Value>,
    prefix: &str,
) -> Result<Body, WidgetError> {
    let mut map = match base.to_value() {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    map.remove("views");
    for (k, v) in fields {
        map.insert(k.clone(), v.clone());
    }
    body_from_value(base.kind(), Value::Object(map), prefix)
}

/// Whether this body or any child carries explicit views.
pub fn has_views(body: &Body) -> bool {
    body.common().views.as_ref().is_some_and(|v| !v.is_empty())
        || match body {
            Body::Composite(c) => c.widgets.iter().any(|ch| has_views(&ch.body)),
            _ => false,
        }
}

/// What a viewer sees of a card they may not see.
pub fn redacted_card(c: &Card) -> Card {
    Card {
        id: c.id.clone(),
        facedown: Some(true),
        owner: c.owner.clone(),
        hidden_for_others: Some(true),
        ..Card::default()
    }
}

/// Applies the ownership shorthand to this body's own elements.
pub fn redact(body: &mut Body, viewer: &Viewer) {
    if matches!(viewer, Viewer::Sender) {
        return;
    }
    match body {
        Body::Grid(g) => g
            .cells
            .retain(|c| viewer.sees(&c.owner, c.hidden_for_others)),
        Body::Canvas(c) => c
            .sprites
            .retain(|s| viewer.sees(&s.owner, s.hidden_for_others)),
        Body::Inventory(i) => i
            .items
            .retain(|it| viewer.sees(&it.owner, it.hidden_for_others)),
        Body::Map(m) => m
            .markers
            .retain(|mk| viewer.sees(&mk.owner, mk.hidden_for_others)),
        Body::Cards(c) => {
            for card in &mut c.cards {
                if !viewer.sees(&card.owner, card.hidden_for_others) {
                    *card = redacted_card(card);
                }
            }
        }
        _ => {}
    }
}

/// The card as `viewer` sees it.
pub fn card_for(c: &Card, viewer: &Viewer) -> Card {
    if viewer.sees(&c.owner, c.hidden_for_others) {
        c.clone()
    } else {
        redacted_card(c)
    }
}
