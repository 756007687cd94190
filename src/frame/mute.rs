//! The mute toggle in the frame's header (shown when the widget has sounds).

use yew::prelude::*;

use super::listen::Listener;
use crate::sound;

#[derive(Properties, PartialEq, Clone)]
pub struct MuteProps {
    /// Whose mute switch this is (`None`: the shared anonymous one).
    #[prop_or_default]
    pub user_id: Option<String>,
}

/// A toggle button (`aria-pressed`) that mutes every widget's sounds for
/// this user, remembered in `localStorage`. Every toggle on the page follows
/// a change made in any of them (and in other tabs).
#[component]
pub fn MuteToggle(props: &MuteProps) -> Html {
    let muted = use_state(|| sound::is_muted(props.user_id.as_deref()));
    {
        let muted = muted.clone();
        use_effect_with(props.user_id.clone(), move |user: &Option<String>| {
            muted.set(sound::is_muted(user.as_deref()));
            let listeners: Vec<Listener> = web_sys::window()
                .map(|w| {
                    [sound::MUTE_EVENT, "storage"]
                        .into_iter()
                        .filter_map(|name| {
                            let (muted, user) = (muted.clone(), user.clone());
                            Listener::new(&w, name, false, move |_| {
                                muted.set(sound::is_muted(user.as_deref()));
                            })
                        })
                        .collect()
                })
                .unwrap_or_default();
            move || drop(listeners)
        });
    }
    let onclick = {
        let muted = muted.clone();
        let user = props.user_id.clone();
        Callback::from(move |_: MouseEvent| {
            let next = !*muted;
            sound::set_muted(user.as_deref(), next);
            muted.set(next);
        })
    };
    let (icon, title) = if *muted {
        ("🔇", "Sounds are muted: press to turn them on")
    } else {
        ("🔊", "Sounds are on: press to mute")
    };
    html! {
        <button type="button" class="tulip-frame__mute" data-testid="mute"
                aria-pressed={muted.to_string()} {title} {onclick}>
            <span class="tulip-frame__mute-icon" aria-hidden="true">{ icon }</span>
            <span class="tulip-frame__mute-text">{ "Mute" }</span>
        </button>
    }
}
