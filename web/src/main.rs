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

/// The world's speed in this wasm (`cargo xtask bench`): steps the fixed workload
/// (`raft_sim::workload`) by `events` events from its warmed-up start and returns how
/// long the stepping took, in milliseconds (`performance.now()`; building the world and
/// dropping it are not counted). The native example `world_rate` times the same events.
#[wasm_bindgen]
pub fn bench_world(events: u32) -> f64 {
    let mut world = raft_sim::workload::loaded_world();
    let started = now_ms();
    let end_us = raft_sim::workload::run_events(&mut world, u64::from(events));
    let took = now_ms() - started;
    BENCH_END_US.with(|c| c.set(end_us as f64));
    took
}

/// The simulated time (µs) the last `bench_world` reached: the native run must reach the same.
#[wasm_bindgen]
pub fn bench_world_end_us() -> f64 {
    BENCH_END_US.with(std::cell::Cell::get)
}

thread_local! {
    static BENCH_END_US: std::cell::Cell<f64> = const { std::cell::Cell::new(0.0) };
}

fn now_ms() -> f64 {
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into());
    performance
        .ok()
        .and_then(|p| {
            let now = js_sys::Reflect::get(&p, &"now".into()).ok()?;
            now.dyn_into::<js_sys::Function>()
                .ok()?
                .call0(&p)
                .ok()?
                .as_f64()
        })
        .unwrap_or_else(js_sys::Date::now)
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
