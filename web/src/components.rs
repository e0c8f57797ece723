//! Thin Yew components: they draw what [`crate::view_model`] computed and send
//! [`Msg`]s back. All state lives in one [`Playground`] (the reducer).
//! The key-value panel is in [`kv`], the membership controls in [`membership`].

use std::rc::Rc;

pub mod icons;
pub mod kv;
pub mod membership;
pub mod panel;
pub mod run;
pub mod transport;

mod bug_hunt;
mod chapters;
mod explore;
mod interaction;
mod message_actions;
mod safety;
mod throughput;
mod tour;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlInputElement};
use yew::prelude::*;

mod spacetime;

use crate::animation::AnimationLoop;
use crate::cluster::{NetSettings, DUP_PCT_MAX, LATENCY_MS_RANGE, LOSS_PCT_MAX, REORDER_PCT_MAX};
use crate::embed::{self, Bridge, HostLink, ParentListener, VisibilityWatch};
use crate::i18n::{tr, trf, Lang};
use crate::panic_box;
use crate::share;
use crate::view_model::host::{Controls, HostWatch};
use crate::view_model::interaction::{Drag, GhostDraw, Group, NodeMenuDraw};
use crate::view_model::keys::{key_command, shortcuts, KeyCommand};
use crate::view_model::logs::{LogRow, LogsDraw, MarkerKind};
use crate::view_model::ring::{DroppedDraw, Glyph, MessageDraw, NodeDraw, Outline, RingDraw};
use crate::view_model::spacetime::reason_text;
use crate::view_model::text::{role_text, Text};
use crate::view_model::{
    format_sim_time, full_page_query, page_query, start_playground, ActivityItem, Banner,
    BannerKind, InspectorDraw, Msg, Theme, UrlOptions, VIEW_SIZE,
};
use icons::{icon, Icon};
use membership::{ConfigLegend, SpareGlyph};
use panel::SidePanel;
use run::{BannerView, Export};
use spacetime::SpacetimeView;
use transport::TransportBar;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    pub options: UrlOptions,
    /// The seed of a plain visit (a fresh random one on the page).
    pub fresh_seed: u64,
    /// This playground is the page's own (configured by the address bar, which
    /// it keeps current); an embedded one leaves the address bar alone.
    pub owns_url: bool,
    /// Inside a `<raft-playground>` element: where its events go and its
    /// commands come from.
    #[prop_or_default]
    pub host: Option<Rc<HostLink>>,
}

/// How often, at most, the address bar follows a playing run (wall ms).
const ADDRESS_EVERY_MS: f64 = 1_000.0;

/// Focus in a form field keeps its keys (a range slider has no use for letters or space,
/// so shortcuts still work there).
fn in_form_field(e: &KeyboardEvent) -> bool {
    let Some(el) = e.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
        return false;
    };
    match el.tag_name().to_ascii_uppercase().as_str() {
        "SELECT" | "TEXTAREA" => true,
        "INPUT" => el.get_attribute("type").as_deref() != Some("range"),
        _ => false,
    }
}

/// The key of the theme switch's label, which offers the theme `to`.
fn theme_key(to: Theme) -> &'static str {
    match to {
        Theme::Dark => "page.header.theme_dark",
        Theme::Light => "page.header.theme_light",
    }
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let playground = {
        let (o, seed, owns_url) = (props.options.clone(), props.fresh_seed, props.owns_url);
        use_mut_ref(move || {
            let pg = start_playground(&o, seed);
            // From the first moment the address bar and a crash report name the run.
            let query = page_query(
                &share::current_search(),
                &pg.link_query(),
                &pg.view_params(),
            );
            if owns_url {
                share::replace_address(&query);
            }
            panic_box::note_link(share::page_url(&query));
            pg
        })
    };
    let frame = use_state_eq(|| Rc::new(playground.borrow().frame()));
    // The link shown for copying by hand when the clipboard refused.
    let manual_link = use_state_eq(|| None::<AttrValue>);
    // (wall ms of the last write, the query written): the address bar follows the run.
    let address = use_mut_ref(|| (f64::NEG_INFINITY, String::new()));
    // Embedded: the element to tell (custom element) or the parent window (iframe
    // mode), what was told last, and where commands come in.
    let element = props.host.as_ref().and_then(|h| h.element.clone());
    let parent = use_memo(props.options.embed, |&embed| {
        embed.then(embed::parent_window).flatten()
    });
    let watch = use_mut_ref(HostWatch::default);
    let bridge = use_memo((), {
        let host = props.host.clone();
        move |_| host.map_or_else(|| Rc::new(Bridge::default()), |h| h.bridge.clone())
    });
    let dispatch = {
        let (playground, frame, owns_url) = (playground.clone(), frame.clone(), props.owns_url);
        let (element, parent, watch) = (element.clone(), parent.clone(), watch.clone());
        let address = address.clone();
        let manual_link = manual_link.clone();
        use_callback((), move |msg: Msg, _| {
            let wall_ms = match msg {
                Msg::Frame(ms) => Some(ms),
                _ => None,
            };
            if matches!(msg, Msg::DismissBanner) {
                manual_link.set(None);
            }
            playground.borrow_mut().update(msg);
            if element.is_some() || parent.is_some() {
                let news = watch.borrow_mut().news(&playground.borrow());
                if !news.is_empty() {
                    embed::tell(element.as_ref(), (*parent).as_ref(), &news);
                }
            }
            let next = playground.borrow().frame();
            panic_box::note_sim_time(next.now_us);
            // Every action at once; while playing, once a second.
            let mut last = address.borrow_mut();
            let due = wall_ms.is_none_or(|ms| ms - last.0 >= ADDRESS_EVERY_MS);
            if due {
                let query = {
                    let pg = playground.borrow();
                    page_query(
                        &share::current_search(),
                        &pg.link_query(),
                        &pg.view_params(),
                    )
                };
                if query != last.1 {
                    if owns_url {
                        share::replace_address(&query);
                    }
                    panic_box::note_link(share::page_url(&query));
                    last.1 = query;
                }
                if let Some(ms) = wall_ms {
                    last.0 = ms;
                }
            }
            frame.set(Rc::new(next));
        })
    };
    let on_share = {
        let (playground, dispatch, manual_link) =
            (playground.clone(), dispatch.clone(), manual_link.clone());
        Callback::from(move |()| {
            let query = {
                let pg = playground.borrow();
                page_query(
                    &share::current_search(),
                    &pg.link_query(),
                    &pg.view_params(),
                )
            };
            let url = share::page_url(&query);
            // The link is shown too, so it can be copied by hand if the clipboard says no.
            manual_link.set(Some(AttrValue::from(url.clone())));
            let dispatch = dispatch.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let said = match share::copy(url).await {
                    Ok(()) => Text::Key("page.share.copied", vec![]),
                    Err(e) => Text::Key("page.share.by_hand", vec![("error", e.into())]),
                };
                dispatch.emit(Msg::ShowBanner(Banner::said(BannerKind::Info, said)));
            });
        })
    };
    let on_export = {
        let (playground, dispatch) = (playground.clone(), dispatch.clone());
        Callback::from(move |kind: Export| {
            let pg = playground.borrow();
            let name = pg.export_name();
            let result = match kind {
                Export::Scenario => share::download(
                    &format!("{name}.json"),
                    "application/json",
                    &pg.export_scenario(),
                ),
                Export::Trace => pg.export_trace().and_then(|trace| {
                    share::download(&format!("{name}.jsonl"), "application/x-ndjson", &trace)
                }),
                Export::Svg => share::download(
                    &format!("{name}.svg"),
                    "image/svg+xml",
                    &crate::view_model::export::svg(&pg.frame()),
                ),
            };
            drop(pg);
            if let Err(e) = result {
                dispatch.emit(Msg::ShowBanner(Banner::said(
                    BannerKind::Error,
                    Text::Key("page.download.failed", vec![("error", e.into())]),
                )));
            }
        })
    };
    let on_import = {
        let dispatch = dispatch.clone();
        Callback::from(move |files: Option<web_sys::FileList>| {
            let dispatch = dispatch.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match share::read_first(files).await {
                    Ok((name, text)) => dispatch.emit(Msg::LoadFile(name, text)),
                    Err(e) => dispatch.emit(Msg::ShowBanner(Banner::said(
                        BannerKind::Error,
                        Text::Key("page.import.failed", vec![("error", e.into())]),
                    ))),
                }
            });
        })
    };
    let ondragover = Callback::from(|e: DragEvent| e.prevent_default());
    let ondrop = {
        let on_import = on_import.clone();
        Callback::from(move |e: DragEvent| {
            let files = e.data_transfer().and_then(|d| d.files());
            if files.as_ref().is_some_and(|f| f.length() > 0) {
                e.prevent_default();
                on_import.emit(files);
            }
        })
    };

    // Seen: on screen and in a visible tab. An unseen playground has no animation
    // loop (no CPU); it goes on where it was when seen again.
    let visible = use_state_eq(|| true);
    {
        let (dispatch, crash) = (dispatch.clone(), props.options.crash);
        use_effect_with(*visible, move |&visible| {
            let animation = visible.then(|| {
                AnimationLoop::start(move |wall_ms| {
                    if crash {
                        panic!("deliberate crash requested by ?crash in the URL");
                    }
                    dispatch.emit(Msg::Frame(wall_ms));
                })
            });
            move || drop(animation)
        });
    }
    // Commands: the element's methods and, in an iframe, the parent's messages.
    {
        let (dispatch, bridge, embed) = (dispatch.clone(), bridge.clone(), props.options.embed);
        use_effect_with((), move |_| {
            bridge.connect(dispatch);
            let listener = embed
                .then(|| ParentListener::start((*bridge).clone()))
                .flatten();
            move || drop(listener)
        });
    }

    // Follow prefers-reduced-motion, the colour scheme and the browser's language.
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window();
            let reduce = window
                .as_ref()
                .and_then(|w| {
                    w.match_media("(prefers-reduced-motion: reduce)")
                        .ok()
                        .flatten()
                })
                .is_some_and(|m| m.matches());
            dispatch.emit(Msg::ReducedMotion(reduce));
            let dark = window
                .as_ref()
                .and_then(|w| w.match_media("(prefers-color-scheme: dark)").ok().flatten())
                .is_some_and(|m| m.matches());
            dispatch.emit(Msg::SystemTheme(if dark {
                Theme::Dark
            } else {
                Theme::Light
            }));
            dispatch.emit(Msg::SystemLang(share::browser_lang()));
        });
    }

    // Shortcuts: the page's own playground hears them wherever the focus is
    // (after load, after a click on the background); an embedded one only
    // while the focus is inside it, so two on a page do not both react.
    let on_key = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.default_prevented() || e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            if let Some(cmd) = key_command(&e.key(), in_form_field(&e)) {
                // Space would scroll the page.
                e.prevent_default();
                dispatch.emit(Msg::Key(cmd));
            }
        })
    };
    {
        let (on_key, owns_url) = (on_key.clone(), props.owns_url);
        use_effect_with((), move |_| {
            let document = owns_url
                .then(|| web_sys::window().and_then(|w| w.document()))
                .flatten();
            let listener = document.as_ref().map(|doc| {
                let closure = Closure::<dyn FnMut(KeyboardEvent)>::new(move |e| on_key.emit(e));
                let _ = doc
                    .add_event_listener_with_callback("keydown", closure.as_ref().unchecked_ref());
                closure
            });
            move || {
                if let (Some(doc), Some(closure)) = (document, listener) {
                    let _ = doc.remove_event_listener_with_callback(
                        "keydown",
                        closure.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    let onkeydown = (!props.owns_url).then_some(on_key);
    let root = use_node_ref();
    {
        let (root, visible) = (root.clone(), visible.clone());
        use_effect_with((), move |_| {
            let watch = root.cast::<Element>().map(|el| {
                VisibilityWatch::start(&el, Callback::from(move |seen| visible.set(seen)))
            });
            move || drop(watch)
        });
    }
    // A click on the background gives the playground the focus when the focus
    // is outside it (an embedded one then hears its shortcuts); inside, it stays
    // where it is (an open menu keeps it).
    let on_background = {
        let root = root.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(el) = root.cast::<web_sys::HtmlElement>() else {
                return;
            };
            let active = share::active_element();
            let inside = active.is_some_and(|a| el.contains(Some(&a)));
            if !inside {
                let _ = el.focus();
            }
        })
    };
    let frame_rc = (*frame).clone();

    // The page's own playground also names its language on <html> (screen readers, fonts).
    {
        let (lang, owns_url) = (frame.lang, props.owns_url);
        use_effect_with(lang, move |lang| {
            if owns_url {
                if let Some(html) = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.document_element())
                {
                    let _ = html.set_attribute("lang", lang.bcp47());
                    let _ = html.set_attribute("dir", lang.dir());
                }
            }
        });
    }

    let f = &*frame;
    let controls = props.options.controls;
    let compact = controls != Controls::Full;
    // Embedded: a link to the full page at this moment of this run.
    let full_link = (props.options.embed || props.host.is_some()).then(|| {
        let pg = playground.borrow();
        let query = full_page_query(&pg.link_query(), &pg.view_params());
        match props.host.as_ref().and_then(|h| h.full_page.clone()) {
            Some(page) => format!("{page}?{query}"),
            None => share::page_url(&query),
        }
    });
    html! {
        <main class={classes!("playground", f.reduced_motion.then_some("reduced-motion"), compact.then_some("compact"))}
            data-testid="playground" data-reduced-motion={f.reduced_motion.to_string()}
            data-controls={controls.name()} data-embed={props.options.embed.to_string()}
            data-theme={f.theme.name()} lang={f.lang.bcp47()} dir={f.lang.dir()} data-lang={f.lang.code()}
            tabindex="-1" ref={root.clone()} {onkeydown} onmousedown={on_background}
            {ondragover} {ondrop}>
            <header class="top">
                <h1>{ tr(f.lang, "page.title") }</h1>
                <p class="status">
                    <span data-testid="seed">{ trf(f.lang, "page.header.seed", &[("seed", &f.seed)]) }</span>
                    { " \u{00b7} " }
                    <span data-testid="sim-time" data-us={f.now_us.to_string()}>{ f.sim_time_ms() }</span>
                    { " ms \u{00b7} " }
                    <span data-testid="speed-label">{ &f.speed_label }</span>
                    { tr(f.lang, "page.header.real_time") }
                </p>
                <button class="lang-button" data-testid="lang" data-lang={f.lang.code()}
                    lang={f.lang.other().bcp47()}
                    aria-label={trf(f.lang, "lang.switch", &[("name", &f.lang.other().own_name())])}
                    title={trf(f.lang, "lang.switch", &[("name", &f.lang.other().own_name())])}
                    onclick={dispatch.reform({ let to = f.lang.other(); move |_| Msg::SetLang(to) })}>
                    { f.lang.other().own_name() }
                </button>
                <button class="icon-button" data-testid="theme" data-theme={f.theme.name()}
                    aria-label={tr(f.lang, theme_key(f.theme.other()))}
                    title={tr(f.lang, theme_key(f.theme.other()))}
                    onclick={dispatch.reform(|_| Msg::ToggleTheme)}>
                    { icon(if f.theme == Theme::Dark { Icon::Sun } else { Icon::Moon }) }
                </button>
                <button class="icon-button" data-testid="help-button" aria-label={tr(f.lang, "page.header.help")}
                    aria-expanded={f.help.to_string()} onclick={dispatch.reform(|_| Msg::ToggleHelp)}>
                    { icon(Icon::Help) }
                </button>
                if let Some(href) = full_link {
                    <a class="open-full" data-testid="open-full" href={href} target="_blank" rel="noopener">
                        { tr(f.lang, "embed.open_full") }
                    </a>
                }
            </header>
            <BannerView banner={f.banner.clone()} link={(*manual_link).clone()} lang={f.lang} dispatch={dispatch.clone()} />
            if let Some(v) = &f.violation {
                <p class="violation" role="alert" data-testid="violation">{ trf(f.lang, "page.violation", &[("violation", v)]) }</p>
            }
            if let Some(n) = &f.notice {
                <p class="notice" role="status" data-testid="notice">{ n.clone() }</p>
            }
            if controls != Controls::None {
                <TransportBar playing={f.playing} speed_pos={f.speed_pos} speed_label={f.speed_label.clone()}
                    now_us={f.now_us} horizon_us={f.horizon_us} {on_share} dispatch={dispatch.clone()}
                    minimal={compact} lang={f.lang} />
            }
            <div class="stage">
                <div class="picture">
                    <section class="ring-panel" aria-label={tr(f.lang, "page.ring.label")}>
                        <ClusterView ring={f.ring.clone()} picked={f.picked_message} menu={f.node_menu.clone()}
                            marked={f.hunt.result.as_ref().map(|r| r.nodes.clone()).unwrap_or_default()}
                            ghost={f.ghost.clone()} lang={f.lang} dispatch={dispatch.clone()} />
                        if let Some(bar) = &f.message_actions {
                            <message_actions::MessageActions draw={bar.clone()} lang={f.lang} dispatch={dispatch.clone()} />
                        }
                        <div class="ring-foot">
                            if f.groups.iter().any(|g| g.1 != Group::A) {
                                <button class="ring-split" data-testid="ring-split"
                                    title={tr(f.lang, "page.ring.split_title")}
                                    onclick={dispatch.reform(|_| Msg::Split)}>
                                    { tr(f.lang, "page.split") }
                                </button>
                            }
                            <ConfigLegend membership={f.membership.clone()} />
                            <button class="key-button" data-testid="legend-toggle" aria-expanded={f.legend.to_string()}
                                onclick={dispatch.reform(|_| Msg::ToggleLegend)}>
                                { icon(Icon::Key) }{ tr(f.lang, "page.ring.key") }
                            </button>
                        </div>
                        if f.legend {
                            <Legend lang={f.lang} />
                        }
                    </section>
                    <LogsView logs={f.logs.clone()} selected={f.selected} lang={f.lang} />
                </div>
                if !compact {
                    <SidePanel frame={frame_rc.clone()} {on_export} {on_import} dispatch={dispatch.clone()} />
                }
            </div>
            if !compact {
                <SpacetimeView draw={f.spacetime.clone()} horizon_us={f.horizon_us} lang={f.lang} dispatch={dispatch.clone()} />
            }
            <p class="visually-hidden" aria-live="polite" data-testid="narration">{ f.narration() }</p>
            if f.help {
                <Help lang={f.lang} dispatch={dispatch.clone()} />
            }
        </main>
    }
}

// ---------------------------------------------------------------------------
// Faults: partition editor and network sliders

#[derive(Properties, PartialEq)]
pub struct PartitionEditorProps {
    /// Each server and whether it is in group B.
    pub groups: Vec<(u64, Group)>,
    #[prop_or_default]
    pub drag: Option<Drag>,
    pub lang: Lang,
    pub dispatch: Callback<Msg>,
}

#[component]
pub fn PartitionEditor(p: &PartitionEditorProps) -> Html {
    let (d, lang) = (&p.dispatch, p.lang);
    html! {
        <fieldset class="partition" data-testid="partition">
            <legend>{ tr(lang, "page.partition.legend") }</legend>
            <interaction::PartitionBoard groups={p.groups.clone()} drag={p.drag} {lang} dispatch={d.clone()} />
            <button data-testid="partition-split" title={tr(lang, "page.partition.split_title")}
                onclick={d.reform(|_| Msg::Split)}>
                { tr(lang, "page.split") }
            </button>
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
pub struct NetworkSlidersProps {
    pub net: NetSettings,
    pub lang: Lang,
    pub dispatch: Callback<Msg>,
}

#[component]
pub fn NetworkSliders(p: &NetworkSlidersProps) -> Html {
    let (d, lang) = (&p.dispatch, p.lang);
    let net = p.net;
    let slider = |name: &'static str,
                  label: &'static str,
                  (min, max): (u64, u64),
                  value: u64,
                  unit: &'static str,
                  set: fn(&mut NetSettings, u64)| {
        let onchange = d.reform(move |e: Event| {
            let mut next = net;
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            set(&mut next, v.parse().unwrap_or(0));
            Msg::SetNet(next)
        });
        html! {
            <label title={tr(lang, "page.network.title")}>
                { label }
                <input type="range" data-testid={name} min={min.to_string()} max={max.to_string()}
                    step="1" value={value.to_string()} aria-valuetext={format!("{value} {unit}")}
                    {onchange} />
                <output>{ format!("{value} {unit}") }</output>
            </label>
        }
    };
    html! {
        <fieldset class="network" data-testid="network">
            <legend>{ tr(lang, "page.network.legend") }</legend>
            { slider("latency", tr(lang, "page.network.latency"), LATENCY_MS_RANGE, net.latency_ms, "ms", |n, v| n.latency_ms = v) }
            { slider("loss", tr(lang, "page.network.loss"), (0, LOSS_PCT_MAX), net.loss_pct, "%", |n, v| n.loss_pct = v) }
            { slider("duplication", tr(lang, "page.network.duplication"), (0, DUP_PCT_MAX), net.dup_pct, "%", |n, v| n.dup_pct = v) }
            { slider("reordering", tr(lang, "page.network.reordering"), (0, REORDER_PCT_MAX), net.reorder_pct, "%", |n, v| n.reorder_pct = v) }
        </fieldset>
    }
}

// ---------------------------------------------------------------------------
// The ring

#[derive(Properties, PartialEq)]
pub struct ClusterViewProps {
    pub ring: Rc<RingDraw>,
    /// The message picked for a keyboard drop: highlighted, and focused when it changes.
    #[prop_or_default]
    pub picked: Option<u64>,
    /// The per-server menu, when open.
    #[prop_or_default]
    pub menu: Option<NodeMenuDraw>,
    /// A server being dragged on the ring.
    #[prop_or_default]
    pub ghost: Option<GhostDraw>,
    /// The servers involved in the violation a hunt found.
    #[prop_or_default]
    pub marked: Vec<u64>,
    pub lang: Lang,
    pub dispatch: Callback<Msg>,
}

#[component]
pub fn ClusterView(p: &ClusterViewProps) -> Html {
    let size = VIEW_SIZE.to_string();
    let lang = p.lang;
    use_effect_with(p.picked, |picked| {
        if let Some(id) = picked {
            interaction::focus_selector(&format!("[data-testid=message][data-msg-id=\"{id}\"]"));
        }
    });
    // A finger moving from a server drags it rather than scrolling the page (Chromium
    // ignores `touch-action` on SVG shapes): the native listener is not passive.
    let svg_ref = use_node_ref();
    {
        let svg_ref = svg_ref.clone();
        use_effect_with((), move |_| {
            let svg = svg_ref.cast::<web_sys::Element>();
            let listener = Closure::<dyn FnMut(web_sys::Event)>::new(|e: web_sys::Event| {
                let on_server = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|el| el.closest("[data-testid=node]").ok().flatten())
                    .is_some();
                if on_server && e.cancelable() {
                    e.prevent_default();
                }
            });
            if let Some(svg) = &svg {
                let _ = svg.add_event_listener_with_callback(
                    "touchmove",
                    listener.as_ref().unchecked_ref(),
                );
            }
            move || {
                if let Some(svg) = svg {
                    let _ = svg.remove_event_listener_with_callback(
                        "touchmove",
                        listener.as_ref().unchecked_ref(),
                    );
                }
            }
        });
    }
    html! {
        <div class="ring-wrap">
        <svg ref={svg_ref} data-testid="cluster" class="cluster" role="group"
            aria-label={tr(lang, "page.ring.svg_label")}
            viewBox={format!("0 0 {size} {size}")}>
            <g class="regions" aria-hidden="true">
                { for p.ring.regions.iter().map(|r| html! {
                    <g key={format!("{}-{}", r.kind.name(), r.group)} data-testid="ring-region"
                        class={classes!("region", r.kind.name())} data-kind={r.kind.name()}
                        data-group={r.group.clone()}
                        data-nodes={r.nodes.iter().map(u64::to_string).collect::<Vec<_>>().join(" ")}>
                        <title>{ &r.label }</title>
                        { for r.blobs.iter().map(|b| html! {
                            <circle key={b.id} cx={b.x.to_string()} cy={b.y.to_string()} r={b.r.to_string()} />
                        }) }
                    </g>
                }) }
            </g>
            <interaction::Links links={p.ring.links.clone()} {lang} dispatch={p.dispatch.clone()} />
            <g class="spares">
                if let Some(top) = p.ring.spares.iter().map(|s| s.y).min() {
                    <text class="spares-title" x="6" y={(top - 18).to_string()}>{ tr(lang, "page.ring.spares") }</text>
                }
                { for p.ring.spares.iter().map(|s| html! { <SpareGlyph key={s.id} spare={s.clone()} /> }) }
            </g>
            <g class="nodes">
                { for p.ring.nodes.iter().map(|n| html! {
                    <NodeGlyph key={n.id} node={n.clone()} violation={p.marked.contains(&n.id)} dispatch={p.dispatch.clone()} />
                }) }
            </g>
            <g class="messages">
                { for p.ring.messages.iter().map(|m| html! {
                    <MessageGlyph key={m.id} message={m.clone()} picked={p.picked == Some(m.id)}
                        dispatch={p.dispatch.clone()} />
                }) }
            </g>
            <g class="dropped">
                { for p.ring.dropped.iter().map(|d| html! { <DroppedMark key={d.id} mark={d.clone()} {lang} /> }) }
            </g>
            if let Some(g) = &p.ghost {
                <g class={classes!("ring-drag", g.to_b.then_some("to-b"))} data-testid="ring-ghost"
                    data-node-id={g.node.to_string()} data-group={if g.to_b { "B" } else { "A" }} aria-hidden="true">
                    <circle class="drop-edge" cx={(VIEW_SIZE / 2).to_string()} cy={(VIEW_SIZE / 2).to_string()}
                        r={g.edge_r.to_string()} />
                    <circle class="ghost" cx={g.x.to_string()} cy={g.y.to_string()} r={g.r.to_string()} />
                    <text class="ghost-text" x={g.x.to_string()} y={(g.y + 5).to_string()}>
                        { format!("S{} \u{2192} {}", g.node, if g.to_b { "B" } else { "A" }) }
                    </text>
                </g>
            }
        </svg>
        if let Some(menu) = &p.menu {
            <interaction::NodeMenu menu={menu.clone()} {lang} dispatch={p.dispatch.clone()} />
        }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct NodeGlyphProps {
    pub node: NodeDraw,
    /// Involved in the violation a hunt found.
    #[prop_or_default]
    pub violation: bool,
    pub dispatch: Callback<Msg>,
}

/// One server: role outline, election timer arc, body in the role's colour, id, term, votes.
#[component]
pub fn NodeGlyph(p: &NodeGlyphProps) -> Html {
    let n = &p.node;
    let (x, y) = (n.x.to_string(), n.y.to_string());
    let outline = match &n.outline {
        Outline::Circle { r, dashed } => html! {
            <circle class="outline" cx={x.clone()} cy={y.clone()} r={r.to_string()}
                stroke-dasharray={dashed.then_some("6 4")} />
        },
        Outline::Polygon { points } => html! {
            <polygon class="outline" points={points.clone()} />
        },
    };
    let id = n.id;
    let onkeydown = {
        let dispatch = p.dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" {
                e.prevent_default();
                dispatch.emit(Msg::Select(id));
            } else if interaction::opens_menu(&e) {
                e.prevent_default();
                e.stop_propagation();
                dispatch.emit(Msg::OpenMenu(id));
            }
        })
    };
    let pointer = interaction::ServerPointer::new(id, &p.dispatch);
    let class = classes!(
        "node",
        n.role.as_str(),
        (!n.alive || n.retired).then_some("dead"),
        n.retired.then_some("retired"),
        n.selected.then_some("selected"),
        p.violation.then_some("violation"),
        format!("config-{}", n.config)
    );
    let text_class = classes!(class.clone(), "node-text");
    html! {
        <>
        <g data-testid="node" class={class} tabindex="0" role="button" aria-label={n.label.clone()}
            aria-pressed={n.selected.to_string()}
            data-node-id={n.id.to_string()} data-role={n.role.as_str()} data-term={n.term.to_string()}
            data-alive={n.alive.to_string()} data-retired={n.retired.to_string()}
            data-commit={n.commit.to_string()} data-config={n.config}
            data-violation={p.violation.then_some("true")}
            aria-haspopup="menu" onclick={pointer.click} {onkeydown}
            onpointerdown={pointer.down} onpointermove={pointer.moved} onpointerup={pointer.up}
            onpointercancel={pointer.cancel.clone()} onpointerleave={pointer.cancel} oncontextmenu={pointer.context}>
            <title>{ &n.label }</title>
            if n.selected {
                <circle class="halo" cx={x.clone()} cy={y.clone()} r={(n.r + 30).to_string()} />
            }
            { outline }
            if let Some(d) = &n.timer_arc {
                <path class="timer" d={d.clone()} />
            }
            <circle class="body" cx={x.clone()} cy={y.clone()} r={n.r.to_string()} style={format!("fill: {}", n.fill.css())} />
            { for n.votes.iter().map(|v| html! {
                <circle key={v.from} class={classes!("vote", v.granted.then_some("granted"))}
                    cx={v.x.to_string()} cy={v.y.to_string()} r="3" />
            }) }
        </g>
        // The short labels drawn on the server are for the eye: its aria-label says all
        // of it ("S1 T1: follower, term 1, ..."). Beside the button, not in it, so the
        // button's name is not compared with them; clicks pass through to the server.
        <g class={text_class} aria-hidden="true" data-node-id={n.id.to_string()}>
            <text class="id" x={x.clone()} y={(n.y - 6).to_string()}>{ format!("S{}", n.id) }</text>
            <text class="term" x={x.clone()} y={(n.y + 9).to_string()}>{ format!("T{}", n.term) }</text>
            if let Some(tag) = n.config_tag {
                <text class="tag" data-testid="config-tag" x={x.clone()} y={(n.y + n.r + 22).to_string()}>{ tag }</text>
            }
        </g>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct MessageGlyphProps {
    pub message: MessageDraw,
    #[prop_or_default]
    pub picked: bool,
    pub dispatch: Callback<Msg>,
}

/// One message in flight; clicking it (or Enter, Space or Delete on it) drops it.
#[component]
pub fn MessageGlyph(p: &MessageGlyphProps) -> Html {
    let m = &p.message;
    let id = m.id;
    let (x, y) = (m.x.to_string(), m.y.to_string());
    let dash = m.style.dashed.then_some("3 2");
    let fill = format!("fill: {}", m.style.fill.css());
    let shape = match &m.glyph {
        Glyph::Circle { r } => html! {
            <circle class="glyph" cx={x.clone()} cy={y.clone()} r={r.to_string()} style={fill.clone()}
                stroke-dasharray={dash} />
        },
        Glyph::Polygon { points } => html! {
            <polygon class="glyph" points={points.clone()} style={fill.clone()} stroke-dasharray={dash} />
        },
    };
    let success = match m.style.mark {
        Some("\u{2717}") => Some("false"),
        Some(_) => Some("true"),
        None => None,
    };
    let onkeydown = {
        let dispatch = p.dispatch.clone();
        Callback::from(move |e: KeyboardEvent| {
            if matches!(e.key().as_str(), "Enter" | " " | "Delete" | "Backspace") {
                e.prevent_default();
                e.stop_propagation();
                dispatch.emit(Msg::PickMessage(id));
                dispatch.emit(Msg::Key(KeyCommand::DropMessage));
            }
        })
    };
    // Pointing at a message selects it (clicking drops it): the space-time diagram follows.
    let onmouseenter = p
        .dispatch
        .reform(move |_: MouseEvent| Msg::SelectMessage(Some(id)));
    html! {
        <g data-testid="message"
            class={classes!("message", m.kind.as_str(), p.picked.then_some("picked"), m.selected.then_some("selected"), m.held.then_some("held"))}
            data-msg-id={m.id.to_string()}
            data-type={m.kind.as_str()} data-from={m.from.to_string()} data-to={m.to.to_string()}
            data-success={success} data-picked={p.picked.to_string()} data-selected={m.selected.to_string()}
            data-held={m.held.then_some("true")}
            tabindex="0" role="button" aria-label={m.spoken.clone()} {onmouseenter}
            onclick={p.dispatch.reform(move |_| Msg::DropMessage(id))} {onkeydown}
            onfocus={p.dispatch.reform(move |_| Msg::PickMessage(id))}>
            <title>{ &m.label }</title>
            if m.selected {
                <circle class="halo" cx={x.clone()} cy={y.clone()} r="15" />
            }
            // At least 24 px across wherever the ring is drawn (WCAG 2.5.8).
            <circle class="hit" cx={x.clone()} cy={y.clone()} r="14" />
            { shape }
            if let Some(mark) = m.style.mark {
                <text class="mark" x={x.clone()} y={(m.y + 4).to_string()}>{ mark }</text>
            }
        </g>
    }
}

#[derive(Properties, PartialEq)]
pub struct DroppedMarkProps {
    pub mark: DroppedDraw,
    pub lang: Lang,
}

#[component]
pub fn DroppedMark(p: &DroppedMarkProps) -> Html {
    let d = &p.mark;
    html! {
        <g data-testid="dropped-message" class="dropped-mark" data-msg-id={d.id.to_string()} data-type={d.kind.as_str()}
            data-reason={d.reason.as_str()}>
            <title>{ trf(p.lang, "page.ring.lost_here", &[("kind", &d.kind), ("reason", &reason_text(d.reason, p.lang))]) }</title>
            <text x={d.x.to_string()} y={(d.y + 6).to_string()}>{ "\u{2716}" }</text>
        </g>
    }
}

#[derive(Properties, PartialEq)]
pub struct LegendProps {
    pub lang: Lang,
}

#[component]
pub fn Legend(p: &LegendProps) -> Html {
    let lang = p.lang;
    html! {
        <p class="legend">
            <span>{ tr(lang, "page.legend.leader") }</span>
            <span>{ tr(lang, "page.legend.candidate") }</span>
            <span>{ tr(lang, "page.legend.precandidate") }</span>
            <span>{ tr(lang, "page.legend.follower") }</span>
            <span>{ tr(lang, "page.legend.timer") }</span>
            <span>{ tr(lang, "page.legend.votes") }</span>
            <span>{ tr(lang, "page.legend.append") }</span>
            <span>{ "\u{2b22} InstallSnapshot" }</span>
            <span>{ "\u{25b2} TimeoutNow" }</span>
            <span>{ tr(lang, "page.legend.replies") }</span>
            <span>{ tr(lang, "page.legend.drop") }</span>
            <span>{ tr(lang, "page.legend.lost") }</span>
            <span>{ tr(lang, "page.legend.link") }</span>
            <span>{ tr(lang, "page.legend.menu") }</span>
            <span>{ tr(lang, "page.legend.dim") }</span>
            <span>{ tr(lang, "page.legend.tags") }</span>
        </p>
    }
}

// ---------------------------------------------------------------------------
// Inspector and activity

#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    pub inspector: Option<Rc<InspectorDraw>>,
    pub lang: Lang,
    pub dispatch: Callback<Msg>,
}

#[component]
pub fn Inspector(p: &InspectorProps) -> Html {
    let lang = p.lang;
    let Some(i) = &p.inspector else {
        return html! {
            <section class="inspector" data-testid="inspector" aria-label={tr(lang, "page.inspector.label")}>
                <h2>{ tr(lang, "page.inspector.label") }</h2>
                <p class="hint">{ tr(lang, "page.inspector.hint") }</p>
            </section>
        };
    };
    let id = i.id;
    html! {
        <section class="inspector" data-testid="inspector" data-node-id={id.to_string()} aria-label={trf(lang, "page.inspector.of", &[("id", &id)])}>
            <h2>{ format!("S{id} \u{2014} {}{}", role_text(i.role).render(lang), if i.alive { "" } else { tr(lang, "page.inspector.crashed") }) }</h2>
            <div class="menu" role="group" aria-label={trf(lang, "page.server.actions", &[("id", &id)])} data-testid="server-menu">
                { for i.actions.iter().map(|&(a, enabled)| html! {
                    <button key={a.name()} data-action={a.name()} disabled={!enabled}
                        title={format!("{} ({})", a.title(lang), a.key())}
                        onclick={p.dispatch.reform(move |_| Msg::Server(a, id))}>{ a.title(lang) }</button>
                }) }
            </div>
            <dl>
                <dt>{ tr(lang, "page.inspector.current_term") }</dt><dd data-field="current_term">{ i.current_term }</dd>
                <dt>{ tr(lang, "page.inspector.voted_for") }</dt><dd data-field="voted_for">{ &i.voted_for }</dd>
                <dt>{ tr(lang, "page.inspector.leader") }</dt><dd>{ &i.leader }</dd>
                <dt>{ tr(lang, "page.inspector.commit_index") }</dt><dd data-field="commit_index">{ i.commit_index }</dd>
                <dt>{ tr(lang, "page.inspector.last_applied") }</dt><dd data-field="last_applied">{ i.last_applied }</dd>
                <dt>{ tr(lang, "page.inspector.snapshot") }</dt><dd>{ i.snapshot_index }</dd>
                <dt>{ tr(lang, "page.inspector.timer") }</dt><dd>{ &i.timer }</dd>
                <dt>{ tr(lang, "page.inspector.configuration") }</dt><dd data-field="configuration">{ &i.configuration }</dd>
                <dt>{ tr(lang, "page.inspector.log") }</dt><dd class="mono" data-field="log">{ &i.log }</dd>
            </dl>
            if !i.progress.is_empty() {
                <table class="progress" data-testid="progress">
                    <caption>{ tr(lang, "page.inspector.progress") }</caption>
                    <thead><tr>
                        <th>{ tr(lang, "page.inspector.follower") }</th><th>{ tr(lang, "page.inspector.next_index") }</th>
                        <th>{ tr(lang, "page.inspector.match_index") }</th><th>{ tr(lang, "page.inspector.state") }</th>
                    </tr></thead>
                    <tbody>
                        { for i.progress.iter().map(|r| html! {
                            <tr key={r.follower}>
                                <td>{ format!("S{}", r.follower) }</td><td>{ r.next_index }</td>
                                <td>{ r.match_index }</td><td>{ r.state }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            }
            <p class="why" data-testid="why">
                { i.why.clone().unwrap_or_else(|| tr(lang, "page.inspector.why_none").into()) }
            </p>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct ActivityProps {
    pub items: Rc<Vec<ActivityItem>>,
    pub lang: Lang,
}

#[component]
pub fn Activity(p: &ActivityProps) -> Html {
    html! {
        <section class="activity" aria-label={tr(p.lang, "page.activity")}>
            <h2>{ tr(p.lang, "page.activity") }</h2>
            <ol data-testid="activity" tabindex="0">
                { for p.items.iter().rev().map(|a| html! {
                    <li key={a.id}><span class="t">{ format_sim_time(a.t_us) }</span>{ " " }{ &a.text }</li>
                }) }
            </ol>
        </section>
    }
}

// ---------------------------------------------------------------------------
// Logs

#[derive(Properties, PartialEq)]
pub struct LogsViewProps {
    pub logs: Rc<LogsDraw>,
    /// The selected server, whose row is highlighted (and first on a phone).
    #[prop_or_default]
    pub selected: Option<u64>,
    pub lang: Lang,
}

#[component]
pub fn LogsView(p: &LogsViewProps) -> Html {
    let (l, lang) = (&p.logs, p.lang);
    html! {
        <section class="logs" aria-label={tr(lang, "page.logs.label")} data-testid="logs">
            <h2>{ tr(lang, "page.logs.label") }</h2>
            <div class="log-scroll">
                <div class="log-grid" style={format!("--cols: {}", l.width)}>
                    <div class="log-row header" aria-hidden="true">
                        <span class="who">{ tr(lang, "page.logs.index") }</span>
                        { for (0..l.width).map(|c| html! {
                            <span key={c} class="idx" style={format!("grid-column: {}", c + 2)}>{ l.first + c }</span>
                        }) }
                    </div>
                    { for l.rows.iter().map(|r| html! {
                        <LogRowView key={r.node_id} row={r.clone()} selected={p.selected == Some(r.node_id)} {lang} />
                    }) }
                </div>
            </div>
            <details class="logs-key">
                <summary>{ tr(lang, "page.logs.key") }</summary>
                <p class="legend">{ tr(lang, "page.logs.key_text") }</p>
            </details>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct LogRowProps {
    pub row: LogRow,
    /// The selected server's row (first on a phone).
    #[prop_or_default]
    pub selected: bool,
    pub lang: Lang,
}

#[component]
pub fn LogRowView(p: &LogRowProps) -> Html {
    let (r, lang) = (&p.row, p.lang);
    let node = r.node_id.to_string();
    html! {
        <div class={classes!("log-row", r.role.as_str(), (!r.alive).then_some("dead"), p.selected.then_some("selected"))}
            data-testid="log-row" data-node-id={node.clone()} data-selected={p.selected.to_string()}>
            <span class="who" title={trf(lang, "page.logs.who", &[("commit", &r.commit), ("applied", &r.applied), ("snapshot", &r.snapshot_index)])}>
                <strong>{ format!("S{}", r.node_id) }</strong>
                { if r.role == raft_core::Role::Leader { " \u{2605}" } else { "" } }
                <small>{ format!(" c{} a{}", r.commit, r.applied) }</small>
            </span>
            if let Some(s) = &r.rejected {
                <span class="rejected-slot" data-testid="rejected-slot" data-node-id={node.clone()}
                    data-index={s.index.to_string()} data-leader-id={s.leader.to_string()}
                    style={format!("grid-column: {}", s.col + 2)} title={s.why.clone()} />
            }
            { for r.cells.iter().map(|c| {
                let class = classes!(
                    "entry",
                    if c.committed { "committed" } else { "uncommitted" },
                    c.applied.then_some("applied"),
                    c.conflict.then_some("conflict"),
                    c.snapshot.then_some("snapshot"),
                    c.snapshot_end.then_some("snapshot-end"),
                );
                let style = format!("grid-column: {}; background: {}", c.col + 2, c.colour.css());
                let title = format!(
                    "{}{}",
                    trf(lang, "page.logs.entry", &[("index", &c.index), ("term", &c.term), ("label", &c.label)]),
                    if c.committed { tr(lang, "page.logs.committed") } else { "" }
                );
                if c.snapshot {
                    html! { <span key={c.index} class={class} style={style} title={title} data-testid="snapshot-slot">{ "\u{25a4}" }</span> }
                } else {
                    html! {
                        <span key={c.index} class={class} style={style} title={title} data-testid="log-entry"
                            data-node-id={node.clone()} data-index={c.index.to_string()} data-term={c.term.to_string()}
                            data-committed={c.committed.to_string()} data-snapshot={c.snapshot_end.to_string()}>{ c.term }</span>
                    }
                }
            }) }
            { for r.markers.iter().map(|m| {
                let (testid, class, text, title) = match m.kind {
                    MarkerKind::Next => ("next-index", "marker next", "\u{25b2}n", "page.logs.next_title"),
                    MarkerKind::Match => ("match-index", "marker match", "\u{25b3}m", "page.logs.match_title"),
                };
                html! {
                    <span key={testid} data-testid={testid} class={classes!(class, m.clipped.then_some("clipped"))}
                        data-leader-id={m.leader_id.to_string()} data-node-id={m.follower.to_string()}
                        data-index={m.index.to_string()}
                        style={format!("grid-column: {}", m.col + 2)}
                        title={trf(lang, title, &[("leader", &m.leader_id), ("follower", &m.follower), ("index", &m.index)])}>
                        { text }
                    </span>
                }
            }) }
        </div>
    }
}

// ---------------------------------------------------------------------------
// Help

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub lang: Lang,
    pub dispatch: Callback<Msg>,
}

#[component]
pub fn Help(p: &HelpProps) -> Html {
    let lang = p.lang;
    html! {
        <section class="help" role="dialog" aria-label={tr(lang, "page.help.label")} data-testid="help">
            <h2>{ tr(lang, "page.help.shortcuts") }</h2>
            <table>
                { for shortcuts(lang).iter().map(|(k, what)| html! {
                    <tr key={*k}><th><kbd>{ *k }</kbd></th><td>{ *what }</td></tr>
                }) }
            </table>
            <p>{ tr(lang, "page.help.keyboard") }</p>
            <p>{ tr(lang, "page.help.pointer") }</p>
            <h2>{ tr(lang, "page.help.key") }</h2>
            <Legend {lang} />
            <button onclick={p.dispatch.reform(|_| Msg::ToggleHelp)}>{ tr(lang, "page.close") }</button>
        </section>
    }
}
