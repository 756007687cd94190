//! The inventory widget: `rows` x `cols` slots holding items
//! (PROTOCOL.md 1.1), slot number `row * cols + col`.
//!
//! - Each slot ([`slot`]) shows its item's icon or image, a count badge
//!   above one, and its rarity as a border colour and a corner letter.
//! - `on_item_click` sends `item_click`; `on_item_drag` lets the player
//!   drag an item onto another slot with any pointer (or carry it there
//!   with the keyboard) and sends `item_drag`. The state machine is
//!   [`drag`], pure and natively tested.
//! - `show_tooltips` shows a tooltip (name, count, rarity, description) on
//!   hover and on keyboard focus.
//!
//! The inventory is an ARIA grid with one tab stop; the arrow keys move
//! between slots. Each slot has `data-target` (the frame's emphasis) and
//! `data-slot`, both its number.

pub mod drag;
pub mod slot;

use std::cell::Cell;
use std::collections::HashMap;

use serde_json::json;
use tulip_core::model::{Inventory, Item};
use tulip_core::{Body, Update};
use wasm_bindgen::{JsCast, JsValue};
use yew::prelude::*;

use crate::anim::appear_class;
use crate::widget::WidgetProps;
use drag::{slot_at, step, Drag, DragAction, Outcome, Rect};
use slot::{item_name, item_picture, SlotView};

thread_local! {
    static NEXT_ID: Cell<u64> = const { Cell::new(1) };
}

/// A page-unique prefix for element ids (tooltips, help text).
fn unique_prefix() -> String {
    let n = NEXT_ID.with(|c| {
        let n = c.get();
        c.set(n + 1);
        n
    });
    format!("tulip-inv-{n}")
}

/// "row 2, column 3" for slot `slot` of an inventory `cols` wide.
pub fn position_words(slot: u32, cols: u32) -> String {
    let cols = cols.max(1);
    format!("row {}, column {}", slot / cols + 1, slot % cols + 1)
}

/// What the live region says after a step of the drag machine.
pub fn announcement(outcome: Outcome, inv: &Inventory) -> Option<String> {
    let name = |s: u32| inv.items.get(&s).map_or("the item".to_owned(), item_name);
    let at = |s: u32| position_words(s, inv.cols);
    match outcome {
        Outcome::PickedUp(s) => Some(format!(
            "Picked up {} from {}. Arrow keys choose a slot, Enter drops it there, Escape puts it back.",
            name(s),
            at(s)
        )),
        Outcome::Started(s) => Some(format!("Dragging {}.", name(s))),
        Outcome::Moved { from, to } => Some(format!("Moved {} to {}.", name(from), at(to))),
        Outcome::Cancelled => Some("Put back.".to_owned()),
        Outcome::Click(_) | Outcome::Nothing => None,
    }
}

/// The slot an event happened in.
fn slot_of(target: Option<web_sys::EventTarget>) -> Option<u32> {
    let el = target?.dyn_into::<web_sys::Element>().ok()?;
    el.closest("[data-slot]")
        .ok()??
        .get_attribute("data-slot")?
        .parse()
        .ok()
}

fn rect_of(el: &web_sys::Element) -> Rect {
    let r = el.get_bounding_client_rect();
    Rect {
        left: r.left(),
        top: r.top(),
        width: r.width(),
        height: r.height(),
    }
}

/// Every slot's box, and the inventory's own, at the start of a drag.
fn measure(root: &NodeRef) -> (Vec<(u32, Rect)>, Option<Rect>) {
    let Some(el) = root.cast::<web_sys::Element>() else {
        return (Vec::new(), None);
    };
    let mut out = Vec::new();
    if let Ok(list) = el.query_selector_all("[data-slot]") {
        for i in 0..list.length() {
            let Some(slot) = list
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            if let Some(s) = slot.get_attribute("data-slot").and_then(|s| s.parse().ok()) {
                out.push((s, rect_of(&slot)));
            }
        }
    }
    (out, Some(rect_of(&el)))
}

fn focus_slot(root: &NodeRef, slot: u32) {
    let found = root
        .cast::<web_sys::Element>()
        .and_then(|r| {
            r.query_selector(&format!("[data-slot=\"{slot}\"]"))
                .ok()
                .flatten()
        })
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = found {
        let _ = el.focus();
    }
}

/// Size of the drag ghost in CSS px (it is centred on the pointer).
const GHOST: f64 = 44.0;

fn ghost_style(at: (f64, f64), origin: Option<Rect>) -> String {
    let o = origin.unwrap_or(Rect {
        left: 0.0,
        top: 0.0,
        width: 0.0,
        height: 0.0,
    });
    format!(
        "translate:{:.1}px {:.1}px;",
        at.0 - o.left - GHOST / 2.0,
        at.1 - o.top - GHOST / 2.0
    )
}

/// The `detail` of a click: 0 for one made by a keyboard or assistive
/// technology, the click count for a pointer.
fn click_detail(e: &MouseEvent) -> i64 {
    js_sys::Reflect::get(e, &JsValue::from_str("detail"))
        .ok()
        .and_then(|v| v.as_f64())
        .map_or(0, |d| d as i64)
}

#[component]
pub fn InventoryView(props: &WidgetProps) -> Html {
    let root = use_node_ref();
    let ghost = use_node_ref();
    let drag = use_mut_ref(Drag::default);
    let boxes = use_mut_ref(|| (Vec::<(u32, Rect)>::new(), None::<Rect>));
    let redraw = use_force_update();
    let focus = use_state_eq(|| 0u32);
    let tip = use_state_eq(|| None::<u32>);
    let said = use_state_eq(String::new);
    let ids = use_memo((), |_| unique_prefix());
    let Body::Inventory(inv) = &props.widget.body else {
        return Html::default();
    };
    let (rows, cols) = (inv.rows, inv.cols);
    let total = rows.saturating_mul(cols);
    let click_on = inv.on_item_click == Some(true);
    let drag_on = inv.on_item_drag == Some(true);
    let tips_on = inv.show_tooltips == Some(true);
    let tip_id = AttrValue::from(format!("{ids}-tip"));
    let help_id = format!("{ids}-help");

    // Runs one step of the drag machine; redraws when what is drawn
    // changed, else only moves the ghost.
    let run = {
        let (drag, boxes, ghost, redraw, said) = (
            drag.clone(),
            boxes.clone(),
            ghost.clone(),
            redraw.clone(),
            said.clone(),
        );
        let (widget, on) = (props.widget.clone(), props.on_interaction.clone());
        move |action: DragAction| -> Outcome {
            let before = *drag.borrow();
            let (after, outcome) = before.next(action);
            *drag.borrow_mut() = after;
            let Body::Inventory(inv) = &widget.body else {
                return outcome;
            };
            match outcome {
                Outcome::Click(slot) if inv.on_item_click == Some(true) => {
                    on.emit(json!({"type": "item_click", "slot": slot}));
                }
                Outcome::Moved { from, to } => {
                    on.emit(json!({"type": "item_drag", "from_slot": from, "to_slot": to}));
                }
                _ => {}
            }
            if let Some(text) = announcement(outcome, inv) {
                said.set(text);
            }
            let shape = |d: &Drag| (std::mem::discriminant(d), d.from(), d.over());
            if shape(&before) != shape(&after) {
                redraw.force_update();
            } else if let Drag::Dragging { at, .. } = after {
                if let Some(el) = ghost.cast::<web_sys::HtmlElement>() {
                    el.style().set_css_text(&ghost_style(at, boxes.borrow().1));
                }
            }
            outcome
        }
    };
    let run = std::rc::Rc::new(run);

    let has_item = {
        let widget = props.widget.clone();
        move |slot: u32| match &widget.body {
            Body::Inventory(i) => i.items.get(&slot).is_some(),
            _ => false,
        }
    };

    let pointer_on = click_on || drag_on;
    let onpointerdown = pointer_on.then(|| {
        let (run, boxes, root, has_item) =
            (run.clone(), boxes.clone(), root.clone(), has_item.clone());
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            let Some(slot) = slot_of(e.target()) else {
                return;
            };
            if !has_item(slot) {
                return;
            }
            if drag_on {
                *boxes.borrow_mut() = measure(&root);
                if let Some(el) = root.cast::<web_sys::Element>() {
                    let _ = el.set_pointer_capture(e.pointer_id());
                }
            }
            run(DragAction::Down {
                slot,
                pointer: e.pointer_id(),
                x: f64::from(e.client_x()),
                y: f64::from(e.client_y()),
                can_drag: drag_on,
            });
        })
    });
    let onpointermove = pointer_on.then(|| {
        let (run, boxes, drag, tip) = (run.clone(), boxes.clone(), drag.clone(), tip.clone());
        Callback::from(move |e: PointerEvent| {
            if matches!(*drag.borrow(), Drag::Idle | Drag::Holding { .. }) {
                return;
            }
            let (x, y) = (f64::from(e.client_x()), f64::from(e.client_y()));
            let over = slot_at(&boxes.borrow().0, x, y);
            let out = run(DragAction::Move {
                pointer: e.pointer_id(),
                x,
                y,
                over,
            });
            if matches!(out, Outcome::Started(_)) {
                tip.set(None);
            }
        })
    });
    let onpointerup = pointer_on.then(|| {
        let (run, boxes, drag, root) = (run.clone(), boxes.clone(), drag.clone(), root.clone());
        Callback::from(move |e: PointerEvent| {
            if matches!(*drag.borrow(), Drag::Idle | Drag::Holding { .. }) {
                return;
            }
            let (x, y) = (f64::from(e.client_x()), f64::from(e.client_y()));
            let over = slot_at(&boxes.borrow().0, x, y);
            if let Some(el) = root.cast::<web_sys::Element>() {
                let _ = el.release_pointer_capture(e.pointer_id());
            }
            run(DragAction::Up {
                pointer: e.pointer_id(),
                over,
            });
        })
    });
    let onpointercancel = pointer_on.then(|| {
        let (run, drag) = (run.clone(), drag.clone());
        Callback::from(move |_: PointerEvent| {
            if !drag.borrow().holding() {
                run(DragAction::Cancel);
            }
        })
    });
    // A click from the keyboard or assistive technology (pointer clicks
    // are already handled by the pointer events above).
    let onclick = click_on.then(|| {
        let (on, has_item) = (props.on_interaction.clone(), has_item.clone());
        Callback::from(move |e: MouseEvent| {
            if click_detail(&e) != 0 {
                return;
            }
            if let Some(slot) = slot_of(e.target()).filter(|s| has_item(*s)) {
                on.emit(json!({"type": "item_click", "slot": slot}));
            }
        })
    });
    let onkeydown = {
        let (run, drag, root, focus, tip, has_item) = (
            run.clone(),
            drag.clone(),
            root.clone(),
            focus.clone(),
            tip.clone(),
            has_item.clone(),
        );
        let on = props.on_interaction.clone();
        let said = said.clone();
        let widget = props.widget.clone();
        Callback::from(move |e: KeyboardEvent| {
            let Some(at) = slot_of(e.target()) else {
                return;
            };
            let key = e.key();
            let holding = drag.borrow().holding();
            if let Some(to) = step(at, &key, rows, cols) {
                e.prevent_default();
                focus.set(to);
                focus_slot(&root, to);
                if holding {
                    run(DragAction::Over { slot: to });
                    if let Body::Inventory(inv) = &widget.body {
                        let there = inv
                            .items
                            .get(&to)
                            .map(|it| format!(", holding {}", item_name(it)))
                            .unwrap_or_default();
                        said.set(format!("Over {}{there}.", position_words(to, cols)));
                    }
                }
                return;
            }
            match key.as_str() {
                "Enter" | " " => {
                    e.prevent_default();
                    if holding {
                        run(DragAction::Drop);
                    } else if has_item(at) {
                        if click_on && (key == "Enter" || !drag_on) {
                            on.emit(json!({"type": "item_click", "slot": at}));
                        } else if drag_on {
                            tip.set(None);
                            run(DragAction::Pick { slot: at });
                        }
                    }
                }
                "Escape" => {
                    if holding {
                        e.prevent_default();
                        run(DragAction::Cancel);
                    } else {
                        tip.set(None);
                    }
                }
                _ => {}
            }
        })
    };
    let onfocusin = {
        let (focus, tip, has_item, drag) =
            (focus.clone(), tip.clone(), has_item.clone(), drag.clone());
        Callback::from(move |e: FocusEvent| {
            if let Some(slot) = slot_of(e.target()) {
                focus.set(slot);
                let show = tips_on && has_item(slot) && !drag.borrow().holding();
                tip.set(show.then_some(slot));
            }
        })
    };
    let onfocusout = {
        let (tip, drag, root, run) = (tip.clone(), drag.clone(), root.clone(), run.clone());
        Callback::from(move |e: FocusEvent| {
            let inside = match (e.related_target(), root.cast::<web_sys::Node>()) {
                (Some(t), Some(r)) => t
                    .dyn_into::<web_sys::Node>()
                    .ok()
                    .is_some_and(|n| r.contains(Some(&n))),
                _ => false,
            };
            if !inside {
                tip.set(None);
                if drag.borrow().holding() {
                    run(DragAction::Cancel);
                }
            }
        })
    };
    let onpointerover = tips_on.then(|| {
        let (tip, has_item, drag) = (tip.clone(), has_item.clone(), drag.clone());
        Callback::from(move |e: PointerEvent| {
            if matches!(*drag.borrow(), Drag::Dragging { .. }) {
                return;
            }
            let slot = slot_of(e.target()).filter(|s| has_item(*s));
            if slot.is_some() {
                tip.set(slot);
            }
        })
    });
    let onpointerleave = tips_on.then(|| {
        let tip = tip.clone();
        Callback::from(move |_: PointerEvent| tip.set(None))
    });

    let state = *drag.borrow();
    let appear: HashMap<u32, (&'static str, u32)> = match props.update.as_deref() {
        Some(Update::Inventory(o)) => o
            .set_items
            .iter()
            .flatten()
            .filter_map(|it| appear_class(it.animate.as_ref(), true).map(|a| (it.slot, a)))
            .collect(),
        _ => HashMap::new(),
    };
    let focused = if *focus < total { *focus } else { 0 };
    let row_views = (0..rows).map(|r| {
        let cells = (0..cols).map(|c| {
            let s = r * cols + c;
            let item: Option<&Item> = inv.items.get(&s);
            html! {
                <SlotView key={s} slot={s} row={r} col={c} item={item.cloned()}
                    focusable={s == focused}
                    lifted={state.from() == Some(s)}
                    target={state.over() == Some(s) && state.from() != Some(s)}
                    tooltip={(*tip == Some(s)).then(|| tip_id.clone())}
                    draggable={drag_on} clickable={click_on}
                    effect={appear.get(&s).copied()} />
            }
        });
        html! { <div role="row" class="tulip-inv__row" key={r}>{ for cells }</div> }
    });
    // The ghost element is always there (hidden when nothing is dragged):
    // children of one parent are matched by position, so an element that
    // comes and goes before its siblings would make them be rebuilt.
    let (ghost_style_now, ghost_picture) = match state {
        Drag::Dragging { from, at, .. } => (
            ghost_style(at, boxes.borrow().1),
            inv.items.get(&from).map(item_picture),
        ),
        _ => (String::new(), None),
    };
    let ghost_hidden = ghost_picture.is_none();
    let mut help = String::from("Arrow keys move between slots.");
    if click_on && drag_on {
        help.push_str(
            " Enter uses an item; Space picks it up, then Enter drops it and Escape puts it back.",
        );
    } else if drag_on {
        help.push_str(" Space or Enter picks an item up, Enter drops it, Escape puts it back.");
    } else if click_on {
        help.push_str(" Enter or Space uses an item.");
    }
    let label = format!(
        "Inventory, {rows} by {cols}, {} of {total} slots filled",
        inv.items.len()
    );
    let style = format!("--tulip-inv-cols:{cols};");
    html! {
        <div class={classes!("tulip-inv", state.from().is_some().then_some("tulip-inv--dragging"))}
             ref={root} {style}
             {onpointerdown} {onpointermove} {onpointerup} {onpointercancel}
             {onpointerover} {onpointerleave} {onclick} {onkeydown} {onfocusin} {onfocusout}>
            <div class="tulip-inv__grid" role="grid" aria-label={label}
                 aria-rowcount={rows.to_string()} aria-colcount={cols.to_string()}
                 aria-describedby={help_id.clone()}>
                { for row_views }
            </div>
            <div class="tulip-inv__ghost" ref={ghost.clone()} aria-hidden="true"
                 hidden={ghost_hidden} style={ghost_style_now}>
                { for ghost_picture }
            </div>
            <p class="tulip-inv__sr" id={help_id}>{ help }</p>
            <p class="tulip-inv__sr" aria-live="polite" data-testid="inventory-announce">{ (*said).clone() }</p>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_live_region_tells_each_step() {
        let w = tulip_core::parse_widget_value(
            json!({"widget_type": "inventory", "extra_data": {"rows": 2, "cols": 3,
                "items": [{"slot": 1, "icon": "🗡️", "name": "Dagger"}]}}),
            &tulip_core::Policy::default(),
        )
        .unwrap();
        let Body::Inventory(inv) = &w.body else {
            panic!("an inventory")
        };
        assert_eq!(position_words(4, 3), "row 2, column 2");
        assert!(announcement(Outcome::PickedUp(1), inv)
            .unwrap()
            .starts_with("Picked up Dagger from row 1, column 2."));
        assert_eq!(
            announcement(Outcome::Moved { from: 1, to: 5 }, inv).as_deref(),
            Some("Moved Dagger to row 2, column 3.")
        );
        assert_eq!(announcement(Outcome::Click(1), inv), None);
        assert_eq!(
            announcement(Outcome::Cancelled, inv).as_deref(),
            Some("Put back.")
        );
    }
}
