//! Tulip game widgets: the browser renderer, written with Yew and compiled to
//! WebAssembly.
//!
//! It holds the widget components ([`WidgetView`], which dispatches on the
//! widget kind, and one component per kind: [`GridView`], [`HudView`],
//! [`DialogView`], [`TerminalView`], [`LeaderboardView`], [`InteractiveView`],
//! [`CompositeView`]) and the demo [`App`]. On wasm32 the
//! module's start function mounts it into the element with id
//! [`DEMO_ROOT_ID`], if the page has one; pages without that element (such as
//! the wasm-bindgen-test runner's page) are left untouched.

pub mod anim;
pub mod announce;
pub mod api;
#[cfg(feature = "demo")]
pub mod app;
#[cfg(feature = "demo")]
pub mod bench;
#[cfg(feature = "demo")]
pub mod bench_canvas;
pub mod canvas;
pub mod cards;
pub mod case;
#[cfg(feature = "demo")]
pub mod chat;
pub mod composite;
pub mod conn;
pub mod dialog;
pub mod frame;
#[cfg(feature = "demo")]
pub mod gallery;
pub mod grid;
pub mod host;
pub mod hud;
pub mod interactive;
pub mod inventory;
pub mod keys;
pub mod leaderboard;
pub mod lobby;
pub mod map;
#[cfg(feature = "demo")]
pub mod playground;
pub mod predict;
pub mod sound;
pub mod terminal;
pub mod timer;
pub mod widget;
pub mod writes;

/// The allocator of the wasm build: talc, in place of Rust's default
/// (dlmalloc). An update allocates a lot of small things (its JSON, the
/// cells' views, Yew's virtual DOM), and talc is both faster at that and
/// smaller code. Single-threaded wasm only, which is what we build.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

#[cfg(feature = "demo")]
pub use app::App;
pub use composite::CompositeView;
pub use dialog::DialogView;
pub use frame::WidgetFrame;
pub use grid::GridView;
pub use host::{HostAction, HostState, WidgetHost};
pub use hud::HudView;
pub use interactive::InteractiveView;
pub use leaderboard::LeaderboardView;
pub use terminal::TerminalView;
pub use widget::WidgetView;

/// Id of the element the demo page (`index.html`) mounts the [`App`] into.
pub const DEMO_ROOT_ID: &str = "tulip-demo";

/// Mounts the demo [`App`] into `#tulip-demo` when the page has that element.
///
/// Trunk's generated loader calls this once the WebAssembly module is
/// instantiated. It does nothing on pages without the element, so test
/// binaries that link this crate are not affected.
#[cfg(all(target_arch = "wasm32", feature = "demo"))]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() {
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(DEMO_ROOT_ID));
    if let Some(root) = root {
        yew::Renderer::<App>::with_root(root).render();
    }
}
