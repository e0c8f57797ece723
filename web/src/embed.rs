//! The playground inside someone else's page: the `<raft-playground>` element
//! (`web/embed/raft-playground.js` calls [`mount`]) and the iframe mode
//! (`?embed=1`). Thin browser glue: what to tell the host and which commands
//! are valid is decided in [`crate::view_model::host`].

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Object, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, MessageEvent, Window};
use yew::Callback;

use crate::view_model::host::{DetailValue, HostCommand, HostEvent, EMBED_VERSION};
use crate::view_model::Msg;

/// Commands from outside the app (the element's methods, the parent's
/// messages) reach the app through this; they wait until it has started.
#[derive(Default)]
pub struct Bridge {
    dispatch: RefCell<Option<Callback<Msg>>>,
    queued: RefCell<Vec<Msg>>,
}

impl Bridge {
    pub fn connect(&self, dispatch: Callback<Msg>) {
        for msg in self.queued.borrow_mut().drain(..) {
            dispatch.emit(msg);
        }
        *self.dispatch.borrow_mut() = Some(dispatch);
    }

    pub fn send(&self, msg: Msg) {
        match self.dispatch.borrow().as_ref() {
            Some(d) => d.emit(msg),
            None => self.queued.borrow_mut().push(msg),
        }
    }

    pub fn command(&self, command: HostCommand) {
        self.send(match command {
            HostCommand::Play => Msg::Play,
            HostCommand::Pause => Msg::Pause,
            HostCommand::LoadScenario(name) => Msg::LoadScenario(name),
            HostCommand::LoadLink(link) => {
                Msg::LoadLink(crate::view_model::host::link_query(&link))
            }
        });
    }
}

/// Where an embedded playground is: what it tells, and where "open in full" goes.
pub struct HostLink {
    /// The `<raft-playground>` element: events are dispatched on it.
    pub element: Option<Element>,
    pub bridge: Rc<Bridge>,
    /// The full page's address (without query), for "open in full".
    pub full_page: Option<String>,
}

impl PartialEq for HostLink {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.bridge, &other.bridge)
    }
}

/// The parent window when this page is inside an iframe.
pub fn parent_window() -> Option<Window> {
    let window = web_sys::window()?;
    let parent = window.parent().ok().flatten()?;
    let same: &JsValue = parent.as_ref();
    (!js_sys::Object::is(same, window.as_ref())).then_some(parent)
}

fn detail(event: &HostEvent) -> Object {
    let obj = Object::new();
    for (name, value) in event.detail() {
        let v = match value {
            DetailValue::Number(n) => JsValue::from_f64(n as f64),
            DetailValue::Text(s) => JsValue::from_str(&s),
        };
        let _ = Reflect::set(&obj, &JsValue::from_str(name), &v);
    }
    obj
}

/// Tells the host page: `raft-<kind>` CustomEvents on the element, or
/// `postMessage({source, version, type, detail})` to the parent window.
pub fn tell(element: Option<&Element>, parent: Option<&Window>, events: &[HostEvent]) {
    for e in events {
        if let Some(el) = element {
            let init = web_sys::CustomEventInit::new();
            init.set_detail(&detail(e));
            init.set_bubbles(true);
            init.set_composed(true);
            if let Ok(ev) =
                web_sys::CustomEvent::new_with_event_init_dict(&format!("raft-{}", e.kind()), &init)
            {
                let _ = el.dispatch_event(&ev);
            }
        }
        if let Some(parent) = parent {
            let msg = Object::new();
            let _ = Reflect::set(&msg, &"source".into(), &"raft-playground".into());
            let _ = Reflect::set(&msg, &"version".into(), &JsValue::from(EMBED_VERSION));
            let _ = Reflect::set(&msg, &"type".into(), &JsValue::from_str(e.kind()));
            let _ = Reflect::set(&msg, &"detail".into(), &detail(e));
            let _ = parent.post_message(&msg, "*");
        }
    }
}

fn string_field(obj: &JsValue, name: &str) -> Option<String> {
    Reflect::get(obj, &JsValue::from_str(name))
        .ok()
        .and_then(|v| v.as_string())
}

/// A command from a message's data, if it has exactly the documented shape.
pub fn command_from(data: &JsValue) -> Option<HostCommand> {
    if !data.is_object() {
        return None;
    }
    let target = string_field(data, "target");
    let kind = string_field(data, "type");
    let scenario = string_field(data, "scenario");
    let link = string_field(data, "link");
    HostCommand::parse(
        target.as_deref(),
        kind.as_deref(),
        scenario.as_deref(),
        link.as_deref(),
    )
}

/// Listens to the parent window's commands (iframe mode) until dropped.
pub struct ParentListener {
    closure: Closure<dyn FnMut(MessageEvent)>,
}

impl ParentListener {
    pub fn start(bridge: Rc<Bridge>) -> Option<ParentListener> {
        let window = web_sys::window()?;
        let parent = parent_window()?;
        let closure = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            // Only the parent may command; anything else, or any other shape, is ignored.
            let from_parent = e
                .source()
                .is_some_and(|s| js_sys::Object::is(s.as_ref(), parent.as_ref()));
            if from_parent {
                if let Some(c) = command_from(&e.data()) {
                    bridge.command(c);
                }
            }
        });
        window
            .add_event_listener_with_callback("message", closure.as_ref().unchecked_ref())
            .ok()?;
        Some(ParentListener { closure })
    }
}

impl Drop for ParentListener {
    fn drop(&mut self) {
        if let Some(w) = web_sys::window() {
            let _ = w.remove_event_listener_with_callback(
                "message",
                self.closure.as_ref().unchecked_ref(),
            );
        }
    }
}

/// Watches whether `root` can be seen: on screen (IntersectionObserver) and
/// in a visible tab. Calls `on_change` with each change until dropped.
pub struct VisibilityWatch {
    observer: Option<web_sys::IntersectionObserver>,
    on_observe: Option<Closure<dyn FnMut(js_sys::Array)>>,
    on_tab: Option<Closure<dyn FnMut()>>,
}

impl VisibilityWatch {
    pub fn start(root: &Element, on_change: Callback<bool>) -> VisibilityWatch {
        let state = Rc::new(RefCell::new((true, true))); // (on screen, tab visible)
        let report = {
            let state = state.clone();
            move || {
                let (a, b) = *state.borrow();
                on_change.emit(a && b);
            }
        };
        let on_observe = {
            let (state, report) = (state.clone(), report.clone());
            Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                if let Some(last) = entries
                    .iter()
                    .filter_map(|e| e.dyn_into::<web_sys::IntersectionObserverEntry>().ok())
                    .next_back()
                {
                    state.borrow_mut().0 = last.is_intersecting();
                    report();
                }
            })
        };
        let observer = web_sys::IntersectionObserver::new(on_observe.as_ref().unchecked_ref()).ok();
        if let Some(o) = &observer {
            o.observe(root);
        }
        let document = web_sys::window().and_then(|w| w.document());
        let on_tab = document.map(|doc| {
            let d = doc.clone();
            let closure = Closure::<dyn FnMut()>::new(move || {
                state.borrow_mut().1 = !d.hidden();
                report();
            });
            let _ = doc.add_event_listener_with_callback(
                "visibilitychange",
                closure.as_ref().unchecked_ref(),
            );
            closure
        });
        VisibilityWatch {
            observer,
            on_observe: Some(on_observe),
            on_tab,
        }
    }
}

impl Drop for VisibilityWatch {
    fn drop(&mut self) {
        if let Some(o) = &self.observer {
            o.disconnect();
        }
        if let (Some(doc), Some(c)) = (
            web_sys::window().and_then(|w| w.document()),
            self.on_tab.as_ref(),
        ) {
            let _ = doc.remove_event_listener_with_callback(
                "visibilitychange",
                c.as_ref().unchecked_ref(),
            );
        }
        self.on_observe.take();
    }
}
