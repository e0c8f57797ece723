//! Shows a panic on the page, with a link that reproduces it, instead of a dead page.

use std::cell::RefCell;
use std::panic::PanicHookInfo;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::view_model::panic_report;

// Read by the panic hook, which cannot reach the app's state.
static SIM_TIME_US: AtomicU64 = AtomicU64::new(0);
thread_local! {
    /// The link to the run as of the last action (seed, setup and every action).
    static LINK: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Installs the hook (before the app renders).
pub fn install() {
    // std::panic::set_hook via Yew: a plain set_hook would be replaced by Yew's console hook on render.
    yew::set_custom_panic_hook(Box::new(show));
}

/// Remembers the simulated time, so a crash report can say when it happened.
pub fn note_sim_time(now_us: u64) {
    SIM_TIME_US.store(now_us, Ordering::Relaxed);
}

/// Remembers the link to the run (a page URL), so a crash report can reproduce
/// it: the run, not the deliberate `?crash`.
pub fn note_link(url: String) {
    let _ = LINK.try_with(|l| {
        if let Ok(mut l) = l.try_borrow_mut() {
            *l = crate::view_model::options::without_param(&url, "crash");
        }
    });
}

fn show(info: &PanicHookInfo<'_>) {
    // The page's language: the root's `lang`, which the app keeps up to date.
    let lang = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
        .and_then(|e| e.get_attribute("lang"))
        .and_then(|l| crate::i18n::Lang::parse(&l))
        .unwrap_or_default();
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or_else(|| crate::i18n::tr(lang, "page.crash.unknown"));
    let location = info
        .location()
        .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()));
    let report = panic_report(
        message,
        location.as_deref(),
        &LINK
            .try_with(|l| l.try_borrow().map(|l| l.clone()).unwrap_or_default())
            .unwrap_or_default(),
        SIM_TIME_US.load(Ordering::Relaxed),
        lang,
    );
    web_sys::console::error_1(&report.as_str().into());
    // Plain DOM calls: Yew's own state may be what broke. Nothing here may panic again.
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let (Ok(alert), Some(body)) = (document.create_element("div"), document.body()) else {
        return;
    };
    let _ = alert.set_attribute("class", "panic-box");
    let _ = alert.set_attribute("role", "alert");
    let _ = alert.set_attribute("data-testid", "panic");
    alert.set_text_content(Some(&report));
    let _ = body.prepend_with_node_1(&alert);
}
