//! The Raft Playground page: a Yew app that draws a simulated Raft cluster.
//!
//! [`view_model`] computes what to draw in plain Rust (tested natively);
//! [`components`] turns it into markup; [`cluster`] is where the simulation plugs in.
//! The app keeps its state inside its components (no globals besides the
//! crash box's note of seed and time), so it can mount into any element.

pub mod animation;
pub mod cluster;
pub mod components;
pub mod panic_box;
pub mod view_model;

use components::{App, AppProps};

/// Mounts a playground into `root`, configured by a URL query string such as `?seed=7&size=3`.
pub fn mount(root: web_sys::Element, search: &str) {
    let options = view_model::parse_options(search);
    yew::Renderer::<App>::with_root_and_props(root, AppProps { options }).render();
}

/// Entry point: reads the URL, installs the crash box and mounts the app into `#app`.
pub fn start() {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    panic_box::install(view_model::parse_seed(&search).seed);
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => mount(root, &search),
        None => {
            let options = view_model::parse_options(&search);
            yew::Renderer::<App>::with_props(AppProps { options }).render();
        }
    }
}
