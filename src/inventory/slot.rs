//! One inventory slot: empty, or an item with its icon or image, count
//! and rarity; the tooltip when it is the one shown. Pointer and key
//! events are handled by the inventory around it (one listener for all
//! slots), so unchanged slots compare equal and are not redrawn.

use tulip_core::model::{Item, Rarity};
use yew::prelude::*;

/// The word for a rarity (tooltips and labels).
pub fn rarity_word(r: Rarity) -> &'static str {
    match r {
        Rarity::Common => "Common",
        Rarity::Uncommon => "Uncommon",
        Rarity::Rare => "Rare",
        Rarity::Epic => "Epic",
        Rarity::Legendary => "Legendary",
    }
}

/// The corner mark of a rarity (beside its border colour, so that colour
/// is never the only cue). Common items, the usual case, have none.
pub fn rarity_mark(r: Rarity) -> Option<&'static str> {
    match r {
        Rarity::Common => None,
        Rarity::Uncommon => Some("U"),
        Rarity::Rare => Some("R"),
        Rarity::Epic => Some("E"),
        Rarity::Legendary => Some("L"),
    }
}

pub fn rarity_class(r: Rarity) -> &'static str {
    match r {
        Rarity::Common => "tulip-inv__slot--common",
        Rarity::Uncommon => "tulip-inv__slot--uncommon",
        Rarity::Rare => "tulip-inv__slot--rare",
        Rarity::Epic => "tulip-inv__slot--epic",
        Rarity::Legendary => "tulip-inv__slot--legendary",
    }
}

/// What an item is called: its name, else its icon, else "Item".
pub fn item_name(item: &Item) -> String {
    item.name
        .as_deref()
        .or(item.icon.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .unwrap_or("Item")
        .to_owned()
}

/// The accessible name of a slot: where it is and what it holds.
pub fn slot_label(row: u32, col: u32, item: Option<&Item>) -> String {
    let at = format!("Row {}, column {}", row + 1, col + 1);
    let Some(it) = item else {
        return format!("{at}: empty");
    };
    let mut s = format!("{at}: {}", item_name(it));
    if let Some(n) = it.count.filter(|n| *n > 1) {
        s.push_str(&format!(", {n}"));
    }
    if let Some(r) = it.rarity {
        s.push_str(&format!(", {}", rarity_word(r).to_ascii_lowercase()));
    }
    s
}

/// The picture of an item (icon text or image), for the slot and the drag
/// ghost.
pub fn item_picture(item: &Item) -> Html {
    if let Some(img) = &item.image {
        return html! {
            <img class="tulip-inv__img" src={img.as_str().to_owned()} alt="" draggable="false" />
        };
    }
    match &item.icon {
        Some(icon) => {
            html! { <span class="tulip-inv__icon" aria-hidden="true">{ icon.clone() }</span> }
        }
        None => html! {
            <span class="tulip-inv__icon tulip-inv__icon--name" aria-hidden="true">{ item_name(item) }</span>
        },
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct SlotProps {
    pub slot: u32,
    pub row: u32,
    pub col: u32,
    #[prop_or_default]
    pub item: Option<Item>,
    /// The one slot in the tab order (roving focus).
    #[prop_or_default]
    pub focusable: bool,
    /// The item is being dragged or held away from here.
    #[prop_or_default]
    pub lifted: bool,
    /// The slot the item would be dropped on now.
    #[prop_or_default]
    pub target: bool,
    /// The tooltip's element id when this slot shows it.
    #[prop_or_default]
    pub tooltip: Option<AttrValue>,
    /// Items can be dragged (no panning on touch over them).
    #[prop_or_default]
    pub draggable: bool,
    #[prop_or_default]
    pub clickable: bool,
    /// An appear class and its duration in ms.
    #[prop_or_default]
    pub effect: Option<(&'static str, u32)>,
}

fn tooltip(id: &AttrValue, item: &Item) -> Html {
    let count = item.count.filter(|n| *n > 1).map(|n| {
        html! { <span class="tulip-inv__tip-count">{ format!("×{n}") }</span> }
    });
    let rarity = item.rarity.map(|r| {
        html! {
            <span class={classes!("tulip-inv__tip-rarity", rarity_class(r))}>{ rarity_word(r) }</span>
        }
    });
    let description = item.description.clone().map(|d| {
        html! { <span class="tulip-inv__tip-desc">{ d }</span> }
    });
    html! {
        <span class="tulip-inv__tip" role="tooltip" id={id.clone()}>
            <span class="tulip-inv__tip-head">
                <strong class="tulip-inv__tip-name">{ item_name(item) }</strong>
                { for count }
            </span>
            { for rarity }
            { for description }
        </span>
    }
}

#[component]
pub fn SlotView(props: &SlotProps) -> Html {
    let item = props.item.as_ref();
    let rarity = item.and_then(|i| i.rarity);
    let class = classes!(
        "tulip-inv__slot",
        item.map(|_| "tulip-inv__slot--filled"),
        rarity.map(rarity_class),
        props.lifted.then_some("tulip-inv__slot--lifted"),
        props.target.then_some("tulip-inv__slot--target"),
        (item.is_some() && props.draggable).then_some("tulip-inv__slot--draggable"),
        (item.is_some() && props.clickable).then_some("tulip-inv__slot--clickable"),
        (props.row == 0).then_some("tulip-inv__slot--top"),
    );
    let content = item.map(|it| {
        let count = it.count.filter(|n| *n > 1).map(|n| {
            html! { <span class="tulip-inv__count" aria-hidden="true">{ n.to_string() }</span> }
        });
        let mark = it.rarity.and_then(rarity_mark).map(|m| {
            html! { <span class="tulip-inv__rarity" aria-hidden="true">{ m }</span> }
        });
        let style = props
            .effect
            .map(|(_, ms)| format!("--tulip-anim-ms:{ms}ms;"));
        html! {
            <span class={classes!("tulip-inv__item", props.effect.map(|(c, _)| c))} {style}>
                { item_picture(it) }
                { for count }
                { for mark }
            </span>
        }
    });
    let tip = match (&props.tooltip, item) {
        (Some(id), Some(it)) => Some(tooltip(id, it)),
        _ => None,
    };
    html! {
        <div role="gridcell" {class}
            data-slot={props.slot.to_string()} data-target={props.slot.to_string()}
            tabindex={if props.focusable { "0" } else { "-1" }}
            aria-label={slot_label(props.row, props.col, item)}
            aria-describedby={tip.as_ref().and(props.tooltip.clone())}>
            { for content }
            { for tip }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_say_where_what_how_many_and_how_rare() {
        let it = Item {
            slot: 5,
            icon: Some("🧪".into()),
            name: Some("Potion".into()),
            count: Some(3),
            rarity: Some(Rarity::Rare),
            ..Item::default()
        };
        assert_eq!(
            slot_label(1, 1, Some(&it)),
            "Row 2, column 2: Potion, 3, rare"
        );
        assert_eq!(slot_label(0, 3, None), "Row 1, column 4: empty");
        let one = Item {
            count: Some(1),
            name: None,
            rarity: None,
            ..it
        };
        assert_eq!(slot_label(0, 0, Some(&one)), "Row 1, column 1: 🧪");
        assert_eq!(item_name(&Item::default()), "Item");
    }

    #[test]
    fn every_rarity_above_common_has_a_mark_besides_its_colour() {
        for r in [
            Rarity::Uncommon,
            Rarity::Rare,
            Rarity::Epic,
            Rarity::Legendary,
        ] {
            assert!(rarity_mark(r).is_some(), "{r:?}");
        }
        assert_eq!(rarity_mark(Rarity::Common), None);
        assert_eq!(rarity_word(Rarity::Legendary), "Legendary");
    }
}
