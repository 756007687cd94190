//! A list of errors: code, JSON path, message.

use yew::prelude::*;

use super::state::ErrorLine;

#[derive(Properties, PartialEq)]
pub struct ErrorListProps {
    pub errors: Vec<ErrorLine>,
    /// `data-testid` of the list.
    pub testid: AttrValue,
}

#[component]
pub fn ErrorList(props: &ErrorListProps) -> Html {
    let items = props.errors.iter().map(|e| {
        let path = if e.path.is_empty() {
            "(the document)".to_owned()
        } else {
            e.path.clone()
        };
        html! {
            <li class="tulip-playground__error" data-testid="error" data-code={e.code}
                data-path={e.path.clone()}>
                <code class="tulip-playground__code">{ e.code }</code>
                { " at " }
                <code class="tulip-playground__path">{ path }</code>
                { ": " }
                <span>{ e.msg.clone() }</span>
            </li>
        }
    });
    html! {
        <ul class="tulip-playground__errors" data-testid={props.testid.clone()}>{ for items }</ul>
    }
}
