//! The Raft Playground page: a Yew app that draws a simulated Raft cluster.
//!
//! [`view_model`] computes what to draw in plain Rust (tested natively);
//! [`components`] turns it into markup; [`cluster`] is where the simulation plugs in.
//! The app keeps its state inside its components (no globals besides the
//! crash box's note of seed and time), so it can mount into any element.

pub mod animation;
pub mod cluster;
pub mod components;
pub mod embed;
pub mod heap;
pub mod i18n;
pub mod panic_box;
pub mod share;
pub mod view_model;

use std::rc::Rc;

use components::{App, AppProps};
use embed::{Bridge, HostLink};

/// Mounts a playground into `root`, configured by a URL query string such as
/// `?seed=7&size=3` (a share link's); `owns_url`: it is the page's own and keeps
/// the address bar current.
pub fn mount(root: web_sys::Element, search: &str, owns_url: bool) {
    yew::Renderer::<App>::with_root_and_props(root, props(search, owns_url, None)).render();
}

/// A playground mounted for a `<raft-playground>` element (see
/// `web/embed/raft-playground.js`): commands go in through it, and dropping
/// it (or [`Embedded::destroy`]) unmounts the playground.
pub struct Embedded {
    handle: Option<yew::AppHandle<App>>,
    bridge: Rc<Bridge>,
}

impl Embedded {
    /// Mounts into `root` (inside the element's shadow root); events are
    /// dispatched on `element`; `full_page` is the full page's address.
    pub fn mount(
        root: web_sys::Element,
        element: web_sys::Element,
        search: &str,
        full_page: String,
    ) -> Embedded {
        panic_box::install();
        let bridge = Rc::new(Bridge::default());
        let host = HostLink {
            element: Some(element),
            bridge: bridge.clone(),
            full_page: Some(full_page),
        };
        let handle = yew::Renderer::<App>::with_root_and_props(
            root,
            props(search, false, Some(Rc::new(host))),
        )
        .render();
        Embedded {
            handle: Some(handle),
            bridge,
        }
    }

    /// `play`, `pause`, or `load` with a scenario name or a share link: the
    /// same commands an iframe takes; anything else is ignored (`false`).
    pub fn command(&self, kind: &str, scenario: Option<String>, link: Option<String>) -> bool {
        match view_model::host::HostCommand::parse(
            Some("raft-playground"),
            Some(kind),
            scenario.as_deref(),
            link.as_deref(),
        ) {
            Some(c) => {
                self.bridge.command(c);
                true
            }
            None => false,
        }
    }

    pub fn destroy(&mut self) {
        if let Some(h) = self.handle.take() {
            h.destroy();
        }
    }
}

fn props(search: &str, owns_url: bool, host: Option<Rc<HostLink>>) -> AppProps {
    let fresh_seed = share::fresh_seed();
    AppProps {
        options: view_model::parse_options(&view_model::with_default_seed(search, fresh_seed)),
        fresh_seed,
        owns_url,
        host,
    }
}

/// Entry point: reads the URL, installs the crash box and mounts the app.
///
/// Every element with a `data-raft-playground` attribute gets its own
/// independent playground, configured by its `data-options` (a query string
/// such as `?seed=7&size=3`); without any, one playground mounts into `#app`,
/// configured by the page's URL; without `#app` nothing mounts (the page
/// uses `<raft-playground>` elements, which call [`Embedded::mount`]).
pub fn start() {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let document = web_sys::window().and_then(|w| w.document());
    let hosts: Vec<(web_sys::Element, String)> = document
        .as_ref()
        .and_then(|d| d.query_selector_all("[data-raft-playground]").ok())
        .map(|list| {
            (0..list.length())
                .filter_map(|i| list.item(i))
                .filter_map(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
                .map(|el| {
                    let options = el.get_attribute("data-options").unwrap_or_default();
                    (el, options)
                })
                .collect()
        })
        .unwrap_or_default();
    panic_box::install();
    if !hosts.is_empty() {
        for (el, options) in hosts {
            mount(el, &options, false);
        }
        return;
    }
    // Without `#app` this is someone else's page that loaded the module for
    // `<raft-playground>` elements: they mount themselves.
    if let Some(root) = document.and_then(|d| d.get_element_by_id("app")) {
        mount(root, &search, true);
    }
}
