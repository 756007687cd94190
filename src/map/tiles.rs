//! The map's tiles: how one tile looks and reads (pure, natively tested),
//! and [`TileLayer`], the CSS grid of the tiles in the view. The layer is
//! its own component so that frames of a marker move or a smooth pan that
//! do not change which tiles are shown skip it entirely.

use std::collections::BTreeMap;
use std::rc::Rc;

use tulip_core::color::Color;
use tulip_core::model::{MapWidget, Marker};
use tulip_core::{Body, Widget};
use yew::prelude::*;

use super::view::Window;

/// What one tile shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TileLook<'a> {
    /// The tile's terrain name; `None` where the payload has no tile
    /// (default ground).
    pub terrain: Option<&'a str>,
    /// The terrain style's background; `None` draws the default ground.
    pub bg: Option<&'a Color>,
    pub content: Option<&'a str>,
    /// Unexplored under fog of war: drawn dark, empty, not clickable.
    pub fog: bool,
}

/// Whether tile (`x`, `y`) is shown: always without fog of war; with it,
/// only when it is in `explored`. A map with fog of war and no `explored`
/// at all has nothing explored.
pub fn explored(m: &MapWidget, x: u32, y: u32) -> bool {
    if m.fog_of_war != Some(true) {
        return true;
    }
    m.explored
        .as_ref()
        .is_some_and(|e| e.get(&(y, x)).is_some())
}

/// How tile (`x`, `y`) looks.
pub fn look(m: &MapWidget, x: u32, y: u32) -> TileLook<'_> {
    if !explored(m, x, y) {
        return TileLook {
            terrain: None,
            bg: None,
            content: None,
            fog: true,
        };
    }
    let terrain = m.tiles.get(&(y, x)).map(|t| t.terrain.as_str());
    let style = terrain.and_then(|t| m.terrain_styles.get(t));
    TileLook {
        terrain,
        bg: style.and_then(|s| s.bg.as_ref()),
        content: style
            .and_then(|s| s.content.as_deref())
            .filter(|c| !c.is_empty()),
        fog: false,
    }
}

/// A marker's name for people: its label, else its icon, else its id.
pub fn marker_name(mk: &Marker) -> &str {
    mk.label
        .as_deref()
        .filter(|l| !l.is_empty())
        .or(mk.icon.as_deref().filter(|i| !i.is_empty()))
        .unwrap_or(&mk.id)
}

/// A tile's accessible name: its terrain, its world coordinates, and the
/// markers on it ("grass, (5, 4), with You"); "unexplored, (0, 0)" under
/// fog.
pub fn tile_label(l: &TileLook<'_>, x: u32, y: u32, markers: &[&Marker]) -> String {
    if l.fog {
        return format!("unexplored, ({x}, {y})");
    }
    let mut s = format!("{}, ({x}, {y})", l.terrain.unwrap_or("ground"));
    if !markers.is_empty() {
        s.push_str(", with ");
        let names: Vec<&str> = markers.iter().map(|m| marker_name(m)).collect();
        s.push_str(&names.join(", "));
    }
    s
}

/// The markers a viewer sees (not under fog) on the tiles of `win`, by
/// tile.
pub fn markers_by_tile<'a>(
    m: &'a MapWidget,
    win: &Window,
) -> BTreeMap<(u32, u32), Vec<&'a Marker>> {
    let mut out: BTreeMap<(u32, u32), Vec<&Marker>> = BTreeMap::new();
    for mk in m.markers.values() {
        if win.contains(mk.x, mk.y) && explored(m, mk.x, mk.y) {
            out.entry((mk.x, mk.y)).or_default().push(mk);
        }
    }
    out
}

/// The id of tile (`x`, `y`) in the document (`aria-activedescendant`).
pub fn tile_id(prefix: &str, x: u32, y: u32) -> String {
    format!("{prefix}-{x}-{y}")
}

/// A widget compared by pointer: the layer redraws when the widget is a
/// new one, without comparing 100,000 tiles.
#[derive(Clone)]
pub struct SameWidget(pub Rc<Widget>);

impl PartialEq for SameWidget {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct TileLayerProps {
    pub widget: SameWidget,
    /// First tile and size, in whole tiles (the fractional shift is the
    /// parent's).
    pub x0: u32,
    pub y0: u32,
    pub cols: u32,
    pub rows: u32,
    pub cursor: (u32, u32),
    /// Prefix of the tiles' ids, unique in the document.
    pub prefix: Rc<str>,
}

/// The tiles of the view, row by row (`role="row"` with
/// `display: contents`, so the tiles themselves are the CSS grid's items).
#[component]
pub fn TileLayer(props: &TileLayerProps) -> Html {
    let Body::Map(m) = &props.widget.0.body else {
        return Html::default();
    };
    let win = Window {
        x0: props.x0,
        y0: props.y0,
        cols: props.cols,
        rows: props.rows,
        fx: 0.0,
        fy: 0.0,
    };
    let on_markers = markers_by_tile(m, &win);
    let clickable = m.on_tile_click == Some(true);
    let rows = (win.y0..win.y0 + win.rows).map(|y| {
        let tiles = (win.x0..win.x0 + win.cols).map(|x| {
            let l = look(m, x, y);
            let here = on_markers.get(&(x, y)).map(Vec::as_slice).unwrap_or(&[]);
            let mut style = String::new();
            if let Some(bg) = l.bg {
                style.push_str("background:");
                style.push_str(bg.as_str());
                style.push(';');
            }
            let class = classes!(
                "tulip-map__tile",
                l.fog.then_some("tulip-map__tile--fog"),
                (!l.fog && l.bg.is_none()).then_some("tulip-map__tile--ground"),
                (clickable && !l.fog).then_some("tulip-map__tile--clickable"),
                (props.cursor == (x, y)).then_some("tulip-map__tile--cursor"),
            );
            html! {
                <div role="gridcell" key={x} id={tile_id(&props.prefix, x, y)} {class}
                     data-x={x.to_string()} data-y={y.to_string()}
                     data-target={format!("{x},{y}")}
                     data-terrain={l.terrain.map(str::to_owned)}
                     data-clickable={(clickable && !l.fog).then_some("true")}
                     aria-colindex={(x + 1).to_string()}
                     aria-label={tile_label(&l, x, y, here)}
                     style={(!style.is_empty()).then_some(style)}>
                    { l.content.unwrap_or_default() }
                </div>
            }
        });
        html! {
            <div role="row" class="tulip-map__row" key={y} aria-rowindex={(y + 1).to_string()}>
                { for tiles }
            </div>
        }
    });
    let style = format!(
        "grid-template-columns:repeat({},1fr);grid-template-rows:repeat({},1fr);",
        win.cols, win.rows
    );
    html! {
        <div class="tulip-map__tiles" role="presentation" {style}>{ for rows }</div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(extra: serde_json::Value) -> MapWidget {
        let w = tulip_core::parse_widget_value(
            json!({"widget_type": "map", "extra_data": extra}),
            &tulip_core::Policy::default(),
        )
        .unwrap();
        match w.body {
            Body::Map(m) => m,
            _ => unreachable!(),
        }
    }

    fn sample() -> serde_json::Value {
        json!({"width": 8, "height": 8,
            "terrain_styles": {"water": {"bg": "#1e88e5", "content": "~"}, "grass": {"bg": "#4caf50"}},
            "tiles": [{"x": 1, "y": 1, "terrain": "water"}, {"x": 2, "y": 1, "terrain": "grass"},
                      {"x": 3, "y": 1, "terrain": "lava"}],
            "markers": [{"id": "hero", "x": 2, "y": 1, "icon": "🧙", "label": "You"},
                        {"id": "orc", "x": 5, "y": 5, "icon": "👹"}]})
    }

    #[test]
    fn terrain_styles_and_the_default_ground() {
        let m = map(sample());
        let w = look(&m, 1, 1);
        assert_eq!(w.terrain, Some("water"));
        assert_eq!(w.bg.map(Color::as_str), Some("#1e88e5"));
        assert_eq!(w.content, Some("~"));
        assert!(!w.fog);
        let g = look(&m, 0, 0);
        assert_eq!((g.terrain, g.bg, g.content), (None, None, None));
        // A terrain without a style is named but drawn as ground.
        let l = look(&m, 3, 1);
        assert_eq!((l.terrain, l.bg), (Some("lava"), None));
    }

    #[test]
    fn labels_name_terrain_coordinates_and_markers() {
        let m = map(sample());
        let win = Window {
            x0: 0,
            y0: 0,
            cols: 4,
            rows: 4,
            fx: 0.0,
            fy: 0.0,
        };
        let by = markers_by_tile(&m, &win);
        assert_eq!(by.len(), 1, "the orc is outside the window");
        let here = &by[&(2, 1)];
        assert_eq!(
            tile_label(&look(&m, 2, 1), 2, 1, here),
            "grass, (2, 1), with You"
        );
        assert_eq!(tile_label(&look(&m, 0, 3), 0, 3, &[]), "ground, (0, 3)");
        assert_eq!(
            marker_name(&m.markers.get(&"orc".to_owned()).cloned().unwrap()),
            "👹"
        );
    }

    #[test]
    fn fog_hides_unexplored_tiles_and_their_markers() {
        let mut extra = sample();
        extra["fog_of_war"] = json!(true);
        extra["explored"] = json!([{"x": 1, "y": 1}]);
        let m = map(extra);
        assert!(!look(&m, 1, 1).fog);
        let f = look(&m, 2, 1);
        assert!(f.fog);
        assert_eq!((f.terrain, f.content), (None, None), "nothing of it shows");
        assert_eq!(tile_label(&f, 2, 1, &[]), "unexplored, (2, 1)");
        let win = Window {
            x0: 0,
            y0: 0,
            cols: 8,
            rows: 8,
            fx: 0.0,
            fy: 0.0,
        };
        assert!(
            markers_by_tile(&m, &win).is_empty(),
            "the hero stands in fog"
        );
        // Fog of war without `explored`: nothing is explored.
        let mut extra = sample();
        extra["fog_of_war"] = json!(true);
        let m = map(extra);
        assert!(look(&m, 1, 1).fog && !explored(&m, 0, 0));
        // Without fog of war everything shows, whatever `explored` says.
        let mut extra = sample();
        extra["explored"] = json!([]);
        assert!(explored(&map(extra), 7, 7));
    }
}
