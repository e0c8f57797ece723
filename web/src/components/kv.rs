//! The key-value and clients panel: draws [`KvDraw`] and sends [`KvMsg`]s.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::view_model::kv::{KvDraw, KvMsg, KvOpKind, RequestDraw, StoreDraw};
use crate::view_model::{format_sim_time, Msg};

#[derive(Properties, PartialEq)]
pub struct KvPanelProps {
    pub kv: Rc<KvDraw>,
    pub lang: Lang,
    pub dispatch: Callback<Msg>,
}

#[component]
pub fn KvPanel(p: &KvPanelProps) -> Html {
    let k = &p.kv;
    let (d, lang) = (&p.dispatch, p.lang);
    let f = &k.form;
    let on_op = d.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        Msg::Kv(KvMsg::SetOp(KvOpKind::parse(&v).unwrap_or(KvOpKind::Put)))
    });
    let on_key = d.reform(|e: InputEvent| {
        Msg::Kv(KvMsg::SetKey(
            e.target_unchecked_into::<HtmlInputElement>().value(),
        ))
    });
    let on_value = d.reform(|e: InputEvent| {
        Msg::Kv(KvMsg::SetValue(
            e.target_unchecked_into::<HtmlInputElement>().value(),
        ))
    });
    let on_target = d.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        Msg::Kv(KvMsg::SetTarget(v.parse().ok()))
    });
    let onsubmit = {
        let d = d.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            d.emit(Msg::Kv(KvMsg::Send));
        })
    };
    let client = k.client;
    html! {
        <section class="kv" data-testid="kv" aria-label={tr(lang, "page.kv.label")}>
            <h2>{ trf(lang, "page.kv.heading", &[("client", &client)]) }</h2>
            <form class="kv-form" {onsubmit} aria-label={trf(lang, "page.kv.form", &[("client", &client)])}>
                <label>
                    { tr(lang, "page.kv.op") }
                    <select data-testid="kv-op" onchange={on_op}>
                        { for KvOpKind::ALL.iter().map(|op| html! {
                            <option key={op.name()} value={op.name()} selected={*op == f.op}>{ op_text(*op, lang) }</option>
                        }) }
                    </select>
                </label>
                <label>
                    { tr(lang, "page.kv.key") }
                    <input data-testid="kv-key" type="text" size="6" autocomplete="off" spellcheck="false"
                        value={f.key.clone()} oninput={on_key} />
                </label>
                <label>
                    { tr(lang, "page.kv.value") }
                    <input data-testid="kv-value" type="text" size="6" autocomplete="off" spellcheck="false"
                        value={f.value.clone()} disabled={!f.op.has_value()} oninput={on_value} />
                </label>
                <label>
                    { tr(lang, "page.kv.target") }
                    <select data-testid="kv-target" onchange={on_target}>
                        <option value="" selected={f.target.is_none()}>{ k.known_leader_text() }</option>
                        { for k.targets.iter().map(|&id| html! {
                            <option key={id} value={id.to_string()} selected={f.target == Some(id)}>{ format!("S{id}") }</option>
                        }) }
                    </select>
                </label>
                <button type="submit" data-testid="kv-send">{ tr(lang, "page.kv.send") }</button>
            </form>
            <p class="kv-client" data-testid="kv-client" data-busy={k.busy.map(|r| r.to_string())}>
                { match k.busy {
                    Some(req) => trf(lang, "page.kv.busy", &[("client", &client), ("req", &req)]),
                    None => trf(lang, "page.kv.idle", &[("client", &client)]),
                } }
                if !k.queued.is_empty() {
                    <span class="queued">{ trf(lang, "page.kv.queued", &[("ops", &k.queued.join(tr(lang, "page.kv.sep")))]) }</span>
                }
            </p>
            <div class="kv-columns">
                <div class="kv-requests">
                    <h3>{ tr(lang, "page.kv.requests") }</h3>
                    if k.requests.is_empty() && k.queued.is_empty() {
                        <p class="hint">{ tr(lang, "page.kv.none") }</p>
                    }
                    <ol data-testid="kv-requests">
                        { for k.queued.iter().enumerate().rev().map(|(i, op)| html! {
                            <li key={format!("q{i}")} class="request queued" data-testid="kv-request" data-status="queued">
                                <span class="op">{ op.clone() }</span>{ tr(lang, "page.kv.queued_item") }
                            </li>
                        }) }
                        { for k.requests.iter().map(|r| html! { <RequestView key={r.req} request={r.clone()} {lang} /> }) }
                    </ol>
                </div>
                <div class="kv-stores">
                    <h3>{ tr(lang, "page.kv.stores") }</h3>
                    <ul data-testid="kv-stores">
                        { for k.stores.iter().map(|s| html! { <StoreView key={s.id} store={s.clone()} {lang} /> }) }
                    </ul>
                </div>
            </div>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct RequestViewProps {
    pub request: RequestDraw,
    pub lang: Lang,
}

#[component]
pub fn RequestView(p: &RequestViewProps) -> Html {
    let (r, lang) = (&p.request, p.lang);
    let outcome = match (r.status, &r.result) {
        ("ok", Some(result)) => trf(lang, "page.kv.ok", &[("result", result)]),
        ("pending", _) => tr(lang, "page.kv.pending").into(),
        ("timeout", _) => tr(lang, "page.kv.timeout").into(),
        ("fail", _) => tr(lang, "page.kv.fail").into(),
        (other, _) => other.into(),
    };
    html! {
        <li class={classes!("request", r.status)} data-testid="kv-request" data-req={r.req.to_string()}
            data-status={r.status} data-attempts={r.attempts.to_string()}
            data-result={r.result.clone()}>
            <span class="req">{ format!("#{} ", r.req) }</span>
            <span class="op">{ &r.op }</span>
            { " \u{2014} " }
            <span class="status" data-testid="kv-status">{ outcome }</span>
            <ol class="steps" aria-label={trf(lang, "page.kv.progress", &[("req", &r.req)])}>
                if r.partial {
                    <li class="step older">{ tr(lang, "page.kv.older") }</li>
                }
                { for r.steps.iter().enumerate().map(|(i, s)| html! {
                    <li key={i} class={classes!("step", s.kind)} data-testid="kv-step" data-step={s.kind}
                        data-server={s.server.map(|id| id.to_string())}>
                        <span class="t">{ format_sim_time(s.t_us) }</span>{ " " }{ &s.text }
                    </li>
                }) }
            </ol>
        </li>
    }
}

#[derive(Properties, PartialEq)]
pub struct StoreViewProps {
    pub store: StoreDraw,
    pub lang: Lang,
}

#[component]
pub fn StoreView(p: &StoreViewProps) -> Html {
    let s = &p.store;
    html! {
        <li class={classes!("store", (!s.alive).then_some("dead"))} data-testid="kv-store"
            data-node-id={s.id.to_string()} data-alive={s.alive.to_string()}
            data-applied={s.last_applied.to_string()}
            title={trf(p.lang, "page.kv.store_title", &[("id", &s.id), ("index", &s.last_applied)])}>
            <strong>{ format!("S{}", s.id) }</strong>{ " " }
            if s.entries.is_empty() {
                <span class="empty">{ &s.text }</span>
            } else {
                { for s.entries.iter().map(|(key, value)| html! {
                    <span key={key.clone()} class="pair" data-testid="kv-pair" data-key={key.clone()}
                        data-value={value.clone()}>{ format!("{key}={value}") }</span>
                }) }
            }
        </li>
    }
}

/// An operation's name in the form (its `<option>` value stays [`KvOpKind::name`]).
fn op_text(op: KvOpKind, lang: Lang) -> &'static str {
    match op {
        KvOpKind::Put => tr(lang, "page.kv.op_put"),
        KvOpKind::Get => tr(lang, "page.kv.op_get"),
        KvOpKind::Append => tr(lang, "page.kv.op_append"),
    }
}
