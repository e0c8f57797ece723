//! The Raft Playground page: a Yew app that draws a simulated Raft cluster.
//!
//! [`view_model`] computes what to draw in plain Rust (tested natively);
//! [`components`] turns it into markup; [`cluster`] is where the simulation plugs in.

pub mod animation;
pub mod cluster;
pub mod components;
pub mod panic_box;
pub mod view_model;

use components::{App, AppProps};

/// Entry point: reads the URL, installs the crash box and mounts the app into `#app`.
pub fn start() {
    let search = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let choice = view_model::parse_seed(&search);
    panic_box::install(choice.seed);
    let props = AppProps {
        seed: choice.seed,
        warning: choice.warning.map(Into::into),
        crash: view_model::query_param(&search, "crash").is_some(),
    };
    let root = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("app"));
    match root {
        Some(root) => yew::Renderer::<App>::with_root_and_props(root, props).render(),
        None => yew::Renderer::<App>::with_props(props).render(),
    };
}
