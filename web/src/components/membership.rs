//! Membership: the configuration legend, the add / joint-change controls and
//! the spare servers on the ring. Remove and transfer are in the server menu.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::view_model::membership::{MembershipDraw, MembershipMsg};
use crate::view_model::ring::SpareDraw;
use crate::view_model::Msg;

#[derive(Properties, PartialEq)]
pub struct ConfigLegendProps {
    pub membership: Rc<MembershipDraw>,
}

/// The configuration in one line: `joint: C_old {1,2,3} C_new {1,2,3,4}`.
#[component]
pub fn ConfigLegend(p: &ConfigLegendProps) -> Html {
    let m = &p.membership;
    html! {
        <p class={classes!("config-legend", m.joint.then_some("joint"))} data-testid="config-legend"
            data-joint={m.joint.to_string()} data-uncommitted={m.uncommitted.to_string()}>
            { &m.legend }
        </p>
    }
}

#[derive(Properties, PartialEq)]
pub struct MembershipControlsProps {
    pub membership: Rc<MembershipDraw>,
    pub lang: Lang,
    pub dispatch: Callback<Msg>,
}

#[component]
pub fn MembershipControls(p: &MembershipControlsProps) -> Html {
    let m = &p.membership;
    let (d, lang) = (&p.dispatch, p.lang);
    let on_id = d.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        Msg::Membership(MembershipMsg::SetAddId(v.parse().unwrap_or(0)))
    });
    let on_as = d.reform(|e: Event| {
        let v = e.target_unchecked_into::<HtmlSelectElement>().value();
        Msg::Membership(MembershipMsg::SetAddLearner(v == "learner"))
    });
    html! {
        <fieldset class="membership" data-testid="membership">
            <legend>{ tr(lang, "page.membership.legend") }</legend>
            <div class="add">
                <label>
                    { tr(lang, "page.membership.add") }
                    <select data-testid="add-server-id" onchange={on_id} disabled={m.candidates.is_empty()}>
                        { for m.candidates.iter().map(|&id| html! {
                            <option key={id} value={id.to_string()} selected={m.add_id == Some(id)}>
                                { if m.spares.contains(&id) { trf(lang, "page.membership.spare", &[("id", &id)]) } else { format!("S{id}") } }
                            </option>
                        }) }
                    </select>
                </label>
                <label>
                    { tr(lang, "page.membership.as") }
                    <select data-testid="add-server-as" onchange={on_as}>
                        <option value="voter" selected={!m.add_learner}>{ tr(lang, "page.membership.voter") }</option>
                        <option value="learner" selected={m.add_learner}>{ tr(lang, "page.membership.learner") }</option>
                    </select>
                </label>
                <button data-testid="add-server" disabled={m.add_id.is_none()}
                    title={tr(lang, "page.membership.add_title")}
                    onclick={d.reform(|_| Msg::Membership(MembershipMsg::Add))}>
                    { tr(lang, "page.membership.add_server") }
                </button>
            </div>
            <div class="joint" role="group" aria-label={tr(lang, "page.membership.joint_label")}>
                <span class="joint-label">{ tr(lang, "page.membership.joint") }</span>
                { for m.joint_draft.iter().map(|&(id, on)| {
                    let onchange = d.reform(move |e: Event| {
                        let checked = e.target_unchecked_into::<HtmlInputElement>().checked();
                        Msg::Membership(MembershipMsg::SetJoint(id, checked))
                    });
                    html! {
                        <label key={id} class="joint-member">
                            <input type="checkbox" data-testid="joint-member" data-node-id={id.to_string()}
                                checked={on} {onchange} />
                            { format!("S{id}") }
                        </label>
                    }
                }) }
                <button data-testid="enter-joint"
                    title={tr(lang, "page.membership.enter_title")}
                    onclick={d.reform(|_| Msg::Membership(MembershipMsg::EnterJoint))}>
                    { tr(lang, "page.membership.enter") }
                </button>
            </div>
            <p class="hint">{ tr(lang, "page.membership.hint") }</p>
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
pub struct SpareGlyphProps {
    pub spare: SpareDraw,
}

/// A spare server on the ring: dimmed, dashed, no links.
#[component]
pub fn SpareGlyph(p: &SpareGlyphProps) -> Html {
    let s = &p.spare;
    let (x, y) = (s.x.to_string(), s.y.to_string());
    html! {
        <g data-testid="spare-node" class="spare" data-node-id={s.id.to_string()} data-config="none"
            role="img" aria-label={s.label.clone()}>
            <title>{ &s.label }</title>
            <circle class="body" cx={x.clone()} cy={y.clone()} r={s.r.to_string()} />
            <text class="id" x={x} y={(s.y + 4).to_string()}>{ format!("S{}", s.id) }</text>
        </g>
    }
}
