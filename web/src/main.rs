//! The page's entry point, and what `web/embed/raft-playground.js` calls to
//! mount a playground into a `<raft-playground>` element.

use wasm_bindgen::prelude::*;

fn main() {
    raft_web::start();
}

/// Counts the bytes the page's Rust code holds. The wasm memory only ever grows (it is
/// the high-water mark, allocator fragmentation included), so the soak
/// (`web/tests/soak.mjs`) reads this to tell a leak from a peak: two counter updates
/// per allocation, no other cost.
mod heap {
    use std::alloc::{GlobalAlloc, Layout, System};
    use std::sync::atomic::{AtomicUsize, Ordering};

    pub static LIVE: AtomicUsize = AtomicUsize::new(0);

    pub struct Counting;

    // SAFETY: every call goes to the system allocator unchanged; only a counter is kept.
    unsafe impl GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            let p = unsafe { System.alloc(layout) };
            if !p.is_null() {
                LIVE.fetch_add(layout.size(), Ordering::Relaxed);
            }
            p
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
            unsafe { System.dealloc(ptr, layout) };
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            let p = unsafe { System.realloc(ptr, layout, new_size) };
            if !p.is_null() {
                LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
                LIVE.fetch_add(new_size, Ordering::Relaxed);
            }
            p
        }
    }

    #[global_allocator]
    static ALLOC: Counting = Counting;
}

/// Bytes of the wasm heap in use now (see [`heap`]).
#[wasm_bindgen]
pub fn heap_live_bytes() -> f64 {
    heap::LIVE.load(std::sync::atomic::Ordering::Relaxed) as f64
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
