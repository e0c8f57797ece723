//! The actions bar under the ring: what the network may do to the picked (or
//! selected) message in flight, drawn from [`MessageActionsDraw`].

use yew::prelude::*;

use crate::i18n::{tr, Lang};
use crate::view_model::message_ops::MessageActionsDraw;
use crate::view_model::Msg;

#[derive(Properties, PartialEq)]
pub struct MessageActionsProps {
    pub draw: MessageActionsDraw,
    pub lang: Lang,
    pub dispatch: Callback<Msg>,
}

#[component]
pub fn MessageActions(p: &MessageActionsProps) -> Html {
    let (d, lang) = (&p.draw, p.lang);
    let id = d.id;
    html! {
        <div class="message-actions" data-testid="message-actions" role="group"
            aria-label={tr(lang, "message_ops.label")}
            data-msg-id={id.to_string()} data-held={d.held.to_string()}>
            <span class="message-actions-caption">{ &d.caption }</span>
            { for d.ops.iter().map(|&op| html! {
                <button key={op.name()} data-action={op.name()}
                    title={format!("{} ({})", op.title(lang), op.key())}
                    onclick={p.dispatch.reform(move |_| Msg::MessageOp(op, id))}>
                    { op.title(lang) }
                </button>
            }) }
        </div>
    }
}
