//! A requestAnimationFrame loop that stops when its handle is dropped.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Calls a function once per animation frame with the frame's timestamp in
/// milliseconds, until dropped. Frames come irregularly (and not at all in a
/// hidden tab), so callers must use the timestamp, not count frames.
pub struct AnimationLoop {
    state: Rc<LoopState>,
}

type FrameCallback = Closure<dyn FnMut(f64)>;

struct LoopState {
    request_id: Cell<Option<i32>>,
    // The closure holds only a weak reference back, so there is no Rc cycle.
    callback: RefCell<Option<FrameCallback>>,
}

impl LoopState {
    fn request_frame(&self) {
        let callback = self.callback.borrow();
        if let (Some(window), Some(callback)) = (web_sys::window(), callback.as_ref()) {
            let id = window
                .request_animation_frame(callback.as_ref().unchecked_ref())
                .ok();
            self.request_id.set(id);
        }
    }
}

impl AnimationLoop {
    pub fn start(mut on_frame: impl FnMut(f64) + 'static) -> Self {
        let state = Rc::new(LoopState {
            request_id: Cell::new(None),
            callback: RefCell::new(None),
        });
        let weak = Rc::downgrade(&state);
        let callback = FrameCallback::new(move |timestamp_ms: f64| {
            on_frame(timestamp_ms);
            if let Some(state) = weak.upgrade() {
                state.request_frame();
            }
        });
        *state.callback.borrow_mut() = Some(callback);
        state.request_frame();
        Self { state }
    }
}

impl Drop for AnimationLoop {
    fn drop(&mut self) {
        if let (Some(window), Some(id)) = (web_sys::window(), self.state.request_id.take()) {
            let _ = window.cancel_animation_frame(id);
        }
    }
}
