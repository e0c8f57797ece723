//! Components for interaction beyond a click: the per-server menu (long press,
//! right-click, Shift+F10), the ring's links (click or Enter cuts one), the
//! table of one-way links, and the partition editor's drag-and-drop groups. The state lives in the view-model
//! ([`crate::view_model::interaction`]); these only draw it, send [`Msg`]s and
//! move keyboard focus.

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlSelectElement, SvgElement};
use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use std::rc::Rc;

use crate::view_model::interaction::{link_label, way_label, Drag, Group, NodeMenuDraw};
use crate::view_model::ring::{LinkDraw, RingDraw, VIEW_SIZE};
use crate::view_model::Msg;

/// Focuses the first element matching `selector` (HTML or SVG). Returns whether it found one.
pub fn focus_selector(selector: &str) -> bool {
    let Some(el) = crate::share::query(selector) else {
        return false;
    };
    if let Some(h) = el.dyn_ref::<HtmlElement>() {
        h.focus().is_ok()
    } else if let Some(s) = el.dyn_ref::<SvgElement>() {
        s.focus().is_ok()
    } else {
        false
    }
}

/// A callback that sends the message `f` makes of the event, if it makes one.
fn when<E: 'static>(
    dispatch: &Callback<Msg>,
    f: impl Fn(E) -> Option<Msg> + 'static,
) -> Callback<E> {
    let dispatch = dispatch.clone();
    Callback::from(move |e: E| {
        if let Some(msg) = f(e) {
            dispatch.emit(msg);
        }
    })
}

fn node_selector(id: u64) -> String {
    format!("[data-testid=node][data-node-id=\"{id}\"]")
}

// ---------------------------------------------------------------------------
// Servers: long press, right-click and the menu key

/// Whether a key press on a server asks for its menu (the Menu key, or Shift+F10).
pub fn opens_menu(e: &KeyboardEvent) -> bool {
    e.key() == "ContextMenu" || (e.shift_key() && e.key() == "F10")
}

/// The pointer handlers of one server: a still press held long enough (the
/// view-model times it) or a right-click opens its menu; a tap stays a click;
/// a press that moves away drags the server on the ring (a ghost follows the
/// pointer; let go outside the ring it joins the partition draft's group B).
pub struct ServerPointer {
    pub down: Callback<PointerEvent>,
    pub moved: Callback<PointerEvent>,
    pub up: Callback<PointerEvent>,
    pub cancel: Callback<PointerEvent>,
    pub click: Callback<MouseEvent>,
    pub context: Callback<MouseEvent>,
}

/// The event's point in the ring's SVG units (the drawing is square).
fn ring_point(e: &PointerEvent) -> (f64, f64) {
    let (x, y) = (f64::from(e.client_x()), f64::from(e.client_y()));
    let rect = e
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .and_then(|el| el.closest("svg.cluster").ok().flatten())
        .map(|svg| svg.get_bounding_client_rect())
        .filter(|r| r.width() > 0.0 && r.height() > 0.0);
    let size = f64::from(VIEW_SIZE);
    match rect {
        Some(r) => (
            (x - r.left()) * size / r.width(),
            (y - r.top()) * size / r.height(),
        ),
        None => (size / 2.0, size / 2.0),
    }
}

impl ServerPointer {
    pub fn new(id: u64, dispatch: &Callback<Msg>) -> ServerPointer {
        ServerPointer {
            down: when(dispatch, move |e: PointerEvent| {
                if !(e.is_primary() && e.button() == 0) {
                    return None;
                }
                // Later moves go to the server, even off it, so it can be dragged
                // (not `current_target`: Yew listens at the root).
                if let Some(node) = e
                    .target()
                    .and_then(|t| t.dyn_into::<Element>().ok())
                    .and_then(|el| el.closest("[data-testid=node]").ok().flatten())
                {
                    let _ = node.set_pointer_capture(e.pointer_id());
                }
                Some(Msg::PressServer {
                    id,
                    at_ms: e.time_stamp(),
                    x: f64::from(e.client_x()),
                    y: f64::from(e.client_y()),
                })
            }),
            // Only while pressed: hovering sends nothing.
            moved: when(dispatch, |e: PointerEvent| {
                (e.buttons() != 0).then(|| Msg::PressMove {
                    x: f64::from(e.client_x()),
                    y: f64::from(e.client_y()),
                    ring: ring_point(&e),
                })
            }),
            up: dispatch.reform(|_: PointerEvent| Msg::PressEnd),
            cancel: dispatch.reform(|_: PointerEvent| Msg::PressCancel),
            click: dispatch.reform(move |_: MouseEvent| Msg::TapServer(id)),
            context: dispatch.reform(move |e: MouseEvent| {
                e.prevent_default();
                Msg::OpenMenu(id)
            }),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct NodeMenuProps {
    pub menu: NodeMenuDraw,
    pub lang: Lang,
    pub dispatch: Callback<Msg>,
}

/// Moves focus among the enabled items of `menu` for an arrow key, Home or End.
fn move_in_menu(menu: &Element, key: &str) {
    let Ok(items) = menu.query_selector_all("button:not([disabled])") else {
        return;
    };
    let n = items.length();
    if n == 0 {
        return;
    }
    let active = crate::share::active_element();
    let at = (0..n).find(|&i| {
        items
            .item(i)
            .zip(active.as_ref())
            .is_some_and(|(item, a)| item.is_same_node(Some(a)))
    });
    let next = match (key, at) {
        ("ArrowDown", Some(i)) => (i + 1) % n,
        ("ArrowUp", Some(i)) => (i + n - 1) % n,
        ("End" | "ArrowUp", _) => n - 1,
        _ => 0,
    };
    if let Some(item) = items
        .item(next)
        .and_then(|i| i.dyn_into::<HtmlElement>().ok())
    {
        let _ = item.focus();
    }
}

/// The per-server menu, beside its server. Focus moves into it when it opens;
/// Escape, Tab away or a click elsewhere closes it (focus goes back to the server).
#[component]
pub fn NodeMenu(p: &NodeMenuProps) -> Html {
    let m = &p.menu;
    let id = m.id;
    let d = &p.dispatch;
    // Not `current_target`: Yew listens at the root, so that is the root.
    let menu_ref = use_node_ref();
    use_effect_with(id, |&id| {
        focus_selector(&format!(
            "[data-testid=node-menu][data-node-id=\"{id}\"] button:not([disabled])"
        ));
    });
    let onkeydown = {
        let (d, menu_ref) = (d.clone(), menu_ref.clone());
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            match key.as_str() {
                "Escape" => {
                    e.stop_propagation();
                    d.emit(Msg::CloseMenu);
                    focus_selector(&node_selector(id));
                }
                // Space presses the item (rather than play/pause).
                " " => {
                    e.prevent_default();
                    e.stop_propagation();
                    let focused = crate::share::active_element()
                        .and_then(|a| a.dyn_into::<HtmlElement>().ok());
                    if let Some(item) = focused {
                        item.click();
                    }
                }
                "ArrowDown" | "ArrowUp" | "Home" | "End" => {
                    e.prevent_default();
                    if let Some(menu) = menu_ref.cast::<Element>() {
                        move_in_menu(&menu, &key);
                    }
                }
                _ => {}
            }
        })
    };
    // Focus moving to something outside the menu (Tab) closes it. Focus merely
    // lost (lifting the finger of a long press blurs) does not: the backdrop
    // catches clicks elsewhere.
    let onfocusout = when(d, {
        let menu_ref = menu_ref.clone();
        move |e: FocusEvent| {
            let menu = menu_ref.cast::<Element>()?;
            let to = e.related_target()?.dyn_into::<web_sys::Node>().ok()?;
            (!menu.contains(Some(&to))).then_some(Msg::CloseMenu)
        }
    });
    // A click elsewhere closes the menu, but only one that began there: lifting the
    // finger of the long press that opened it can click the backdrop too.
    let began_here = use_mut_ref(|| false);
    let backdrop_down = {
        let began_here = began_here.clone();
        Callback::from(move |_: PointerEvent| *began_here.borrow_mut() = true)
    };
    let backdrop_click = when(d, move |_: MouseEvent| {
        std::mem::take(&mut *began_here.borrow_mut()).then_some(Msg::CloseMenu)
    });
    // Focus stays in the menu until it closes.
    let keep_focus = Callback::from(|e: MouseEvent| e.prevent_default());
    let no_native_menu = d.reform(|e: MouseEvent| {
        e.prevent_default();
        Msg::CloseMenu
    });
    let class = classes!(
        "node-menu",
        m.leftwards.then_some("leftwards"),
        m.upwards.then_some("upwards")
    );
    html! {
        <>
            <div class="menu-backdrop" data-testid="node-menu-backdrop" aria-hidden="true"
                onpointerdown={backdrop_down} onmousedown={keep_focus} onclick={backdrop_click}
                oncontextmenu={no_native_menu} />
            <div ref={menu_ref} class={class} role="menu" data-testid="node-menu" data-node-id={id.to_string()}
                aria-label={trf(p.lang, "page.server.actions", &[("id", &id)])}
                style={format!("left: {}%; top: {}%", m.left_pct, m.top_pct)}
                {onkeydown} {onfocusout}
                oncontextmenu={Callback::from(|e: MouseEvent| e.prevent_default())}>
                <p class="menu-title" aria-hidden="true">{ format!("S{id}") }</p>
                { for m.actions.iter().map(|&(a, enabled)| {
                    let d = d.clone();
                    let onclick = Callback::from(move |_: MouseEvent| {
                        focus_selector(&node_selector(id));
                        d.emit(Msg::Server(a, id));
                    });
                    html! {
                        <button key={a.name()} role="menuitem" data-action={a.name()} disabled={!enabled}
                            title={format!("{} ({})", a.title(p.lang), a.key())} {onclick}>{ a.title(p.lang) }</button>
                    }
                }) }
            </div>
        </>
    }
}

// ---------------------------------------------------------------------------
// Links: click, or focus and Enter, to cut one both ways or reconnect it

#[derive(Properties, PartialEq)]
pub struct LinksProps {
    pub links: Vec<LinkDraw>,
    pub lang: Lang,
    pub dispatch: Callback<Msg>,
}

fn link_selector(l: &LinkDraw) -> String {
    format!(
        "[data-testid=link][data-from=\"{}\"][data-to=\"{}\"]",
        l.a.min(l.b),
        l.a.max(l.b)
    )
}

/// Every link of the ring. One tab stop for all of them (the last one focused);
/// the arrow keys move between them.
#[component]
pub fn Links(p: &LinksProps) -> Html {
    let current = use_state_eq(|| 0usize);
    let n = p.links.len();
    let tab_stop = (*current).min(n.saturating_sub(1));
    let selectors: std::rc::Rc<[String]> = p.links.iter().map(link_selector).collect();
    html! {
        <g class="links" role="group"
            aria-label={tr(p.lang, "page.links.label")}>
            { for p.links.iter().enumerate().map(|(i, l)| {
                let (a, b) = (l.a.min(l.b), l.a.max(l.b));
                let onclick = p.dispatch.reform(move |_: MouseEvent| Msg::ToggleLink(a, b));
                let onkeydown = {
                    let (d, selectors) = (p.dispatch.clone(), selectors.clone());
                    Callback::from(move |e: KeyboardEvent| {
                        let step = match e.key().as_str() {
                            "Enter" | " " => {
                                e.prevent_default();
                                e.stop_propagation();
                                d.emit(Msg::ToggleLink(a, b));
                                return;
                            }
                            "ArrowRight" | "ArrowDown" => i + 1,
                            "ArrowLeft" | "ArrowUp" => i + n - 1,
                            "Home" => n,
                            "End" => n - 1 + n,
                            _ => return,
                        };
                        e.prevent_default();
                        focus_selector(&selectors[step % n]);
                    })
                };
                let onfocus = {
                    let current = current.clone();
                    Callback::from(move |_: FocusEvent| current.set(i))
                };
                html! {
                    <g key={format!("{a}-{b}")} data-testid="link" class={classes!("link-target", l.cut.then_some("cut"))}
                        data-from={a.to_string()} data-to={b.to_string()} data-cut={l.cut.to_string()}
                        data-cut-dir={l.cut_dir()}
                        tabindex={if i == tab_stop { "0" } else { "-1" }} role="button"
                        aria-pressed={l.cut.to_string()} aria-label={link_label(l, p.lang)}
                        {onclick} {onkeydown} {onfocus}>
                        <title>{ link_label(l, p.lang) }</title>
                        <line class={classes!("link", l.cut.then_some("cut"))}
                            x1={l.x1.to_string()} y1={l.y1.to_string()} x2={l.x2.to_string()} y2={l.y2.to_string()} />
                        if let Some(((gx1, gy1), (gx2, gy2))) = l.gate_bar() {
                            // A bar across the link near the server that no longer hears the other.
                            <line class="link-gate" data-testid="link-gate" x1={gx1.to_string()} y1={gy1.to_string()}
                                x2={gx2.to_string()} y2={gy2.to_string()} />
                        }
                        <line class="link-hit"
                            x1={l.x1.to_string()} y1={l.y1.to_string()} x2={l.x2.to_string()} y2={l.y2.to_string()} />
                    </g>
                }
            }) }
        </g>
    }
}

#[derive(Properties, PartialEq)]
pub struct WaysTableProps {
    pub ring: Rc<RingDraw>,
    pub lang: Lang,
    pub dispatch: Callback<Msg>,
}

/// One checkbox per direction between two servers (ticked: it delivers);
/// unticking one cuts that direction only.
#[component]
pub fn WaysTable(p: &WaysTableProps) -> Html {
    let (d, lang) = (&p.dispatch, p.lang);
    let ids: Vec<u64> = p.ring.nodes.iter().map(|n| n.id).collect();
    html! {
        <fieldset class="ways" data-testid="ways">
            <legend>{ tr(lang, "page.ways.legend") }</legend>
            <p class="hint">{ tr(lang, "page.ways.hint") }</p>
            <table>
                <thead><tr>
                    <th scope="col">{ tr(lang, "page.ways.corner") }</th>
                    { for ids.iter().map(|to| html! { <th key={*to} scope="col">{ format!("S{to}") }</th> }) }
                </tr></thead>
                <tbody>
                    { for ids.iter().map(|&from| html! {
                        <tr key={from}>
                            <th scope="row">{ format!("S{from}") }</th>
                            { for ids.iter().map(|&to| {
                                if from == to {
                                    return html! { <td key={to} class="self" /> };
                                }
                                let cut = p.ring.way_cut(from, to);
                                let label = way_label(from, to, cut, lang);
                                html! {
                                    <td key={to}>
                                        <input type="checkbox" data-testid="way" data-from={from.to_string()}
                                            data-to={to.to_string()} data-cut={cut.to_string()} checked={!cut}
                                            aria-label={label.clone()} title={label}
                                            onchange={d.reform(move |_| Msg::ToggleWay(from, to))} />
                                    </td>
                                }
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </fieldset>
    }
}

// ---------------------------------------------------------------------------
// Partition editor: drag server chips between groups A, B and C

#[derive(Properties, PartialEq)]
pub struct PartitionBoardProps {
    /// Each server and its group.
    pub groups: Vec<(u64, Group)>,
    pub drag: Option<Drag>,
    pub lang: Lang,
    pub dispatch: Callback<Msg>,
}

/// The group whose box is under the client point (`x`, `y`), if any.
fn group_at(x: i32, y: i32) -> Option<Group> {
    let el = crate::share::element_from_point(x as f32, y as f32)?;
    let group = el.closest("[data-testid=partition-box]").ok()??;
    Group::parse(&group.get_attribute("data-group")?)
}

/// Three boxes, A, B and C, holding a chip per server. Drag a chip (mouse, pen
/// or touch) to another box; each chip's selector is the keyboard's way.
#[component]
pub fn PartitionBoard(p: &PartitionBoardProps) -> Html {
    // A chip re-created in the other box loses focus: give it back to its selector.
    let refocus = use_mut_ref(|| None::<u64>);
    {
        let refocus = refocus.clone();
        use_effect_with(p.groups.clone(), move |_| {
            if let Some(id) = refocus.borrow_mut().take() {
                focus_selector(&format!(
                    "[data-testid=partition-group][data-node-id=\"{id}\"]"
                ));
            }
        });
    }
    let (d, lang) = (&p.dispatch, p.lang);
    let dragging = p.drag.map(|g| g.node);
    let over = p.drag.and_then(|g| g.over);
    let chip = |id: u64, in_group: Group| {
        let onchange = {
            let refocus = refocus.clone();
            d.reform(move |e: Event| {
                let v = e.target_unchecked_into::<HtmlSelectElement>().value();
                *refocus.borrow_mut() = Some(id);
                Msg::SetGroup(id, Group::parse(&v).unwrap_or_default())
            })
        };
        let onpointerdown = when(d, move |e: PointerEvent| {
            let target = e.target()?.dyn_into::<Element>().ok()?;
            // The selector inside the chip keeps its own clicks.
            if matches!(
                target.tag_name().to_ascii_uppercase().as_str(),
                "SELECT" | "OPTION"
            ) || !e.is_primary()
                || e.button() != 0
            {
                return None;
            }
            e.prevent_default();
            // Later moves go to the chip, even off it (not `current_target`: Yew listens at the root).
            if let Ok(Some(chip)) = target.closest("[data-testid=partition-chip]") {
                let _ = chip.set_pointer_capture(e.pointer_id());
            }
            Some(Msg::DragServer(id))
        });
        let mine = dragging == Some(id);
        let onpointermove = when(d, move |e: PointerEvent| {
            let now = group_at(e.client_x(), e.client_y());
            (mine && now != over).then_some(Msg::DragOver(now))
        });
        let onpointerup = when(d, move |e: PointerEvent| {
            mine.then(|| Msg::DropServer(group_at(e.client_x(), e.client_y())))
        });
        let onpointercancel = when(d, move |_: PointerEvent| {
            mine.then_some(Msg::DropServer(None))
        });
        let group = in_group.name();
        html! {
            <span key={id} class={classes!("chip", mine.then_some("dragging"))} data-testid="partition-chip"
                data-node-id={id.to_string()} data-group={group}
                title={tr(lang, "page.partition.chip_title")}
                {onpointerdown} {onpointermove} {onpointerup} {onpointercancel}>
                <span class="grip" aria-hidden="true">{ "\u{2807}" }</span>
                <label class={classes!("group", (in_group != Group::A).then(|| group.to_ascii_lowercase()))}>
                    { format!("S{id}") }
                    <select data-testid="partition-group" data-node-id={id.to_string()}
                        data-group={group} aria-label={trf(lang, "page.partition.group_of", &[("id", &id)])} {onchange}>
                        { for Group::ALL.iter().map(|g| html! {
                            <option value={g.name()} selected={*g == in_group}>{ g.name() }</option>
                        }) }
                    </select>
                </label>
            </span>
        }
    };
    let group_box = |group: Group| {
        let name = group.name();
        let class = classes!(
            "group-box",
            dragging.is_some().then_some("drop-target"),
            (over == Some(group)).then_some("over")
        );
        html! {
            <div {class} data-testid="partition-box" data-group={name} role="group"
                aria-label={trf(lang, "page.partition.group", &[("name", &name)])}>
                <span class="group-name" aria-hidden="true">{ name }</span>
                { for p.groups.iter().filter(|g| g.1 == group).map(|&(id, g)| chip(id, g)) }
            </div>
        }
    };
    html! {
        <div class="partition-board">
            { for Group::ALL.into_iter().map(group_box) }
        </div>
    }
}
