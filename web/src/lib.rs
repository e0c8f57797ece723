//! The Raft Playground page: a Yew app that draws a simulated Raft cluster.
//!
//! [`view_model`] computes what to draw in plain Rust (tested natively);
//! [`components`] turns it into markup; [`cluster`] is where the simulation plugs in.
//! The app keeps its state inside its components (no globals besides the
//! crash box's note of seed and time), so it can mount into any element.

pub mod animation;
pub mod cluster;
pub mod components;
pub mod i18n;
pub mod panic_box;
pub mod share;
pub mod view_model;

use components::{App, AppProps};

/// Mounts a playground into `root`, configured by a URL query string such as
/// `?seed=7&size=3` (a share link's); `owns_url`: it is the page's own and keeps
/// the address bar current.
pub fn mount(root: web_sys::Element, search: &str, owns_url: bool) {
    yew::Renderer::<App>::with_root_and_props(root, props(search, owns_url)).render();
}

fn props(search: &str, owns_url: bool) -> AppProps {
    AppProps {
        options: view_model::parse_options(search),
        fresh_seed: share::fresh_seed(),
        owns_url,
    }
}

/// Entry point: reads the URL, installs the crash box and mounts the app.
///
/// Every element with a `data-raft-playground` attribute gets its own
/// independent playground, configured by its `data-options` (a query string
/// such as `?seed=7&size=3`); without any, one playground mounts into `#app`
/// (or the body), configured by the page's URL.
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
    match document.and_then(|d| d.get_element_by_id("app")) {
        Some(root) => mount(root, &search, true),
        None => {
            yew::Renderer::<App>::with_props(props(&search, true)).render();
        }
    }
}
