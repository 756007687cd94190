//! The composite widget: children laid out vertically, horizontally or on
//! top of each other, each drawn by [`WidgetView`]. A child's interactions
//! get `"child": id` added.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use serde_json::Value;
use tulip_core::model::CompositeLayout;
use tulip_core::{Body, Update, Widget};
use yew::prelude::*;

use crate::widget::{WidgetProps, WidgetView};

/// The operations an update of a composite holds for its child `id`.
pub fn child_update(update: Option<&Update>, id: &str) -> Option<Rc<Update>> {
    match update? {
        Update::Composite(ops) => ops
            .children
            .as_ref()?
            .get(id)?
            .parsed()
            .map(|u| Rc::new(u.clone())),
        _ => None,
    }
}

/// Adds `"child": id` to an interaction. A nested composite has already
/// named the innermost child, which is the one the core looks up (`child`
/// may name any descendant), so an existing `child` is kept.
pub fn with_child(mut v: Value, id: &str) -> Value {
    if let Value::Object(m) = &mut v {
        m.entry("child")
            .or_insert_with(|| Value::String(id.to_owned()));
    }
    v
}

/// The layout's name, used in the class and `data-layout`.
pub fn layout_name(layout: Option<CompositeLayout>) -> &'static str {
    match layout {
        None | Some(CompositeLayout::Vertical) => "vertical",
        Some(CompositeLayout::Horizontal) => "horizontal",
        Some(CompositeLayout::Overlay) => "overlay",
    }
}

/// A composite: its children's interactions get `child` set, and each
/// child receives its own operations of the update.
///
/// Children keep their `Rc<Widget>` and their callback across renders while
/// they do not change, so that an update of one child re-renders that child
/// only (the map's tile layer, a long terminal...).
#[component]
pub fn CompositeView(props: &WidgetProps) -> Html {
    // The children as last drawn: id, widget.
    let cache = use_mut_ref(Vec::<(String, Rc<Widget>)>::new);
    // One callback per child id, made again only when the parent's changes.
    let callbacks = use_memo(props.on_interaction.clone(), |cb| {
        RefCell::new((cb.clone(), BTreeMap::<String, Callback<Value>>::new()))
    });
    let Body::Composite(composite) = &props.widget.body else {
        return Html::default();
    };
    let layout = layout_name(composite.layout);
    let mut cache = cache.borrow_mut();
    let mut next = Vec::with_capacity(composite.widgets.len());
    let children = composite
        .widgets
        .iter()
        .map(|child| {
            let id = child.id().to_owned();
            let widget = match cache
                .iter()
                .find(|(cid, w)| *cid == id && w.body == child.body)
            {
                Some((_, w)) => w.clone(),
                None => Rc::new(Widget::new(child.body.clone())),
            };
            next.push((id.clone(), widget.clone()));
            let on_interaction = {
                let mut cbs = callbacks.borrow_mut();
                let parent = cbs.0.clone();
                cbs.1
                    .entry(id.clone())
                    .or_insert_with(|| {
                        let child_id = id.clone();
                        Callback::from(move |v: Value| parent.emit(with_child(v, &child_id)))
                    })
                    .clone()
            };
            let update = child_update(props.update.as_deref(), &id);
            let child_props = props.for_child(widget, update, on_interaction);
            html! {
                <div class="tulip-composite__child" key={id.clone()} data-child={id.clone()}
                     data-target={id}>
                    <WidgetView ..child_props />
                </div>
            }
        })
        .collect::<Vec<_>>();
    *cache = next;
    html! {
        <div class={classes!("tulip-composite", format!("tulip-composite--{layout}"))}
             data-layout={layout}>
            { for children }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn child_is_added_once() {
        assert_eq!(
            with_child(json!({"type": "button_click", "action": "go"}), "b"),
            json!({"type": "button_click", "action": "go", "child": "b"})
        );
        assert_eq!(
            with_child(
                json!({"type": "cell_click", "x": 0, "y": 0, "child": "inner"}),
                "outer"
            ),
            json!({"type": "cell_click", "x": 0, "y": 0, "child": "inner"})
        );
    }
}
