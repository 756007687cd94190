//! The demo app: one bundle, four pages chosen by the URL's hash
//! (`#gallery`, `#chat`, `#playground`, `#bench`), with a navigation bar.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::bench::BenchPage;
use crate::chat::ChatPage;
use crate::gallery::GalleryPage;
use crate::playground::PlaygroundPage;

/// The demo pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Gallery,
    Chat,
    Playground,
    Bench,
}

impl Page {
    pub const ALL: [Page; 4] = [Page::Gallery, Page::Chat, Page::Playground, Page::Bench];

    /// The page a location hash names (`#chat`, `#/chat?x=1`, ...); the
    /// gallery for anything else.
    pub fn from_hash(hash: &str) -> Page {
        let name = hash.trim_start_matches('#').trim_start_matches('/');
        let name = name.split(['?', '&', '/']).next().unwrap_or("");
        match name {
            "chat" => Page::Chat,
            "playground" => Page::Playground,
            "bench" => Page::Bench,
            _ => Page::Gallery,
        }
    }

    pub fn hash(self) -> &'static str {
        match self {
            Page::Gallery => "#gallery",
            Page::Chat => "#chat",
            Page::Playground => "#playground",
            Page::Bench => "#bench",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Page::Gallery => "Gallery",
            Page::Chat => "Chat",
            Page::Playground => "Playground",
            Page::Bench => "Benchmark",
        }
    }
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The demo app: navigation and the current page.
#[component]
pub fn App() -> Html {
    let page = use_state(|| Page::from_hash(&current_hash()));
    {
        let page = page.clone();
        use_effect_with((), move |_| {
            let listener = Closure::<dyn Fn()>::new(move || {
                page.set(Page::from_hash(&current_hash()));
            });
            let window = web_sys::window();
            if let Some(w) = &window {
                let _ = w.add_event_listener_with_callback(
                    "hashchange",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(w) = &window {
                    let _ = w.remove_event_listener_with_callback(
                        "hashchange",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    let nav = Page::ALL.iter().map(|p| {
        let current = (*p == *page).then_some("page");
        html! {
            <a href={p.hash()} class="tulip-nav__link" aria-current={current}>{ p.title() }</a>
        }
    });
    let body = match *page {
        Page::Gallery => html! { <GalleryPage /> },
        Page::Chat => html! { <ChatPage /> },
        Page::Playground => html! { <PlaygroundPage /> },
        Page::Bench => html! { <BenchPage /> },
    };
    html! {
        <>
            <nav class="tulip-nav" aria-label="Demo pages">{ for nav }</nav>
            { body }
        </>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_from_hashes() {
        assert_eq!(Page::from_hash(""), Page::Gallery);
        assert_eq!(Page::from_hash("#chat"), Page::Chat);
        assert_eq!(Page::from_hash("#/chat?transport=long-poll"), Page::Chat);
        assert_eq!(Page::from_hash("#playground"), Page::Playground);
        assert_eq!(Page::from_hash("#bench"), Page::Bench);
        assert_eq!(Page::from_hash("#nonsense"), Page::Gallery);
        for p in Page::ALL {
            assert_eq!(Page::from_hash(p.hash()), p);
        }
    }
}
