//! The composite widget: children laid out vertically, horizontally or on
//! top of each other, each drawn by [`WidgetView`]. A child's interactions
//! get `"child": id` added.

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
#[component]
pub fn CompositeView(props: &WidgetProps) -> Html {
    let Body::Composite(composite) = &props.widget.body else {
        return Html::default();
    };
    let layout = layout_name(composite.layout);
    let children = composite.widgets.iter().map(|child| {
        let id = child.id().to_owned();
        let cb = props.on_interaction.clone();
        let child_id = id.clone();
        let on_interaction = Callback::from(move |v: Value| cb.emit(with_child(v, &child_id)));
        let widget = Rc::new(Widget::new(child.body.clone()));
        let update = child_update(props.update.as_deref(), &id);
        let child_props = props.for_child(widget, update, on_interaction);
        html! {
            <div class="tulip-composite__child" key={id.clone()} data-child={id.clone()}
                 data-target={id}>
                <WidgetView ..child_props />
            </div>
        }
    });
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
