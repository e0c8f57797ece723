//! The page's entry point, and what `web/embed/raft-playground.js` calls to
//! mount a playground into a `<raft-playground>` element.

use wasm_bindgen::prelude::*;

fn main() {
    raft_web::start();
}

#[global_allocator]
static ALLOC: raft_web::heap::Counting = raft_web::heap::Counting;

#[wasm_bindgen]
pub fn heap_live_bytes() -> f64 {
    raft_web::heap::live() as f64
}

/// One playground inside a `<raft-playground>` element.
#[wasm_bindgen]
pub struct EmbeddedPlayground(raft_web::Embedded);

#[wasm_bindgen]
impl EmbeddedPlayground {
    /// Mounts into `root` (inside the element's shadow root), configured by
    /// `options` (a query string); events go to `element`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        root: web_sys::Element,
        element: web_sys::Element,
        options: &str,
        full_page: String,
    ) -> EmbeddedPlayground {
        EmbeddedPlayground(raft_web::Embedded::mount(root, element, options, full_page))
    }

    /// `play`, `pause` or `load` (with `scenario` or `link`); `false`: not a command.
    pub fn command(&self, kind: &str, scenario: Option<String>, link: Option<String>) -> bool {
        self.0.command(kind, scenario, link)
    }

    /// Unmounts the playground.
    pub fn destroy(&mut self) {
        self.0.destroy();
    }
}
