//! Where a run leaves and enters the page: the address bar, the clipboard,
//! downloads and files. Thin browser calls only; what to write is computed
//! in [`crate::view_model`] (the link, the scenario file, the trace, the SVG).
//! None of these may panic: a failure comes back as an `Err` with a sentence.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

fn js_error(what: &str, e: JsValue) -> String {
    let detail = e
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_default();
    if detail.is_empty() {
        what.to_string()
    } else {
        format!("{what}: {detail}")
    }
}

/// The page's current query string (with its `?`, or empty).
pub fn current_search() -> String {
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

/// The address of this page with `query` (without `?`).
pub fn page_url(query: &str) -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return format!("?{query}");
    };
    let origin = location.origin().unwrap_or_default();
    let path = location.pathname().unwrap_or_default();
    format!("{origin}{path}?{query}")
}

/// Replaces the address bar's query without a reload or a history entry.
pub fn replace_address(query: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("?{query}")));
    }
}

/// Copies `text` to the clipboard.
pub async fn copy(text: String) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    let promise = window.navigator().clipboard().write_text(&text);
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|e| js_error("the browser did not allow copying", e))
}

/// Offers `text` as a file download called `name`.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|e| js_error("could not make the file", e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|e| js_error("could not make the file", e))?;
    let a: web_sys::HtmlAnchorElement = document
        .create_element("a")
        .map_err(|e| js_error("could not make the link", e))?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The first file of a file input or a drop: its name and text.
pub async fn read_first(files: Option<web_sys::FileList>) -> Result<(String, String), String> {
    let file = files.and_then(|f| f.get(0)).ok_or("no file was chosen")?;
    let name = file.name();
    let text = JsFuture::from(file.text())
        .await
        .map_err(|e| js_error(&format!("{name} could not be read"), e))?;
    let text = text
        .as_string()
        .ok_or(format!("{name} is not a text file"))?;
    Ok((name, text))
}

/// The browser's preferred language that the page speaks (else English).
pub fn browser_lang() -> crate::i18n::Lang {
    let Some(nav) = web_sys::window().map(|w| w.navigator()) else {
        return crate::i18n::Lang::default();
    };
    let mut tags: Vec<String> = nav
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if let Some(one) = nav.language() {
        tags.push(one);
    }
    crate::i18n::Lang::from_browser(tags.iter().map(String::as_str))
}

/// A seed for a plain visit: random (the browser's crypto source), small
/// enough to read and type.
pub fn fresh_seed() -> u64 {
    let mut bytes = [0u8; 8];
    match getrandom::fill(&mut bytes) {
        Ok(()) => u64::from_le_bytes(bytes) % 1_000_000_000,
        // No random source: the time of day still differs between visits.
        Err(_) => js_sys::Date::now() as u64 % 1_000_000_000,
    }
}

/// The element that has the focus, looking inside open shadow roots (a
/// `<raft-playground>` element's content is in one).
pub fn active_element() -> Option<web_sys::Element> {
    let mut active = web_sys::window()?.document()?.active_element()?;
    while let Some(inner) = active.shadow_root().and_then(|s| s.active_element()) {
        active = inner;
    }
    Some(active)
}

/// The first element matching `selector` in the playground that has the focus
/// (so two on a page, or one in a shadow root, each find their own), else in
/// the document.
pub fn query(selector: &str) -> Option<web_sys::Element> {
    let playground =
        active_element().and_then(|a| a.closest("[data-testid=playground]").ok().flatten());
    if let Some(found) = playground.and_then(|p| p.query_selector(selector).ok().flatten()) {
        return Some(found);
    }
    web_sys::window()?
        .document()?
        .query_selector(selector)
        .ok()
        .flatten()
}

/// The element under a client point, looking inside open shadow roots.
pub fn element_from_point(x: f32, y: f32) -> Option<web_sys::Element> {
    let mut el = web_sys::window()?.document()?.element_from_point(x, y)?;
    while let Some(inner) = el.shadow_root().and_then(|s| s.element_from_point(x, y)) {
        if inner == el {
            break;
        }
        el = inner;
    }
    Some(el)
}
