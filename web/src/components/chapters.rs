//! The Learn menu's chapters: the list, and the chapter being read (caption,
//! Back and Next, the try-it task). The part of the page a caption talks
//! about gets `data-chapter-highlight` and is scrolled into view.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::i18n::{tr, trf, Lang};
use crate::view_model::chapters::{ChapterMsg, ChaptersDraw};
use crate::view_model::Msg;

#[derive(Properties, PartialEq)]
pub struct ChaptersProps {
    pub draw: std::rc::Rc<ChaptersDraw>,
    pub lang: Lang,
    pub dispatch: Callback<Msg>,
}

const MARK: &str = "data-chapter-highlight";

/// Marks the element `selector` names in this playground (and only it), and
/// scrolls it into view when `scroll`.
fn highlight(from: &web_sys::Element, selector: Option<&str>, scroll: bool) {
    let root = from
        .closest("[data-testid=playground]")
        .ok()
        .flatten()
        .unwrap_or_else(|| from.clone());
    if let Ok(old) = root.query_selector_all(&format!("[{MARK}]")) {
        for i in 0..old.length() {
            if let Some(e) = old
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let _ = e.remove_attribute(MARK);
            }
        }
    }
    let Some(target) = selector.and_then(|s| root.query_selector(s).ok().flatten()) else {
        return;
    };
    let _ = target.set_attribute(MARK, "true");
    if scroll {
        // `block: nearest`: no jump when it is already in view.
        let opts = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&opts, &"block".into(), &"nearest".into());
        let call = js_sys::Reflect::get(&target, &"scrollIntoView".into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
        if let Some(f) = call {
            let _ = f.call1(&target, &opts);
        }
    }
}

#[component]
pub fn Chapters(p: &ChaptersProps) -> Html {
    let (d, lang, draw) = (&p.dispatch, p.lang, &p.draw);
    let node = use_node_ref();
    // The highlight follows the step; it is scrolled to once per step.
    let key = draw
        .reader
        .as_ref()
        .map(|r| (r.chapter, r.step, r.selector.clone()));
    {
        let node = node.clone();
        use_effect_with(key, move |key| {
            if let Some(el) = node.cast::<web_sys::Element>() {
                highlight(&el, key.as_ref().map(|k| k.2.as_str()), key.is_some());
            }
        });
    }
    let chapter = |m: ChapterMsg| d.reform(move |_| Msg::Chapter(m));
    html! {
        <section class="chapters" ref={node} aria-label={tr(lang, "learn.menu_title")}>
            <button data-testid="learn" aria-expanded={draw.menu.to_string()}
                onclick={chapter(ChapterMsg::ToggleMenu)}>
                { tr(lang, "learn.menu") }
            </button>
            if draw.menu {
                <ol class="chapter-menu" aria-label={tr(lang, "learn.menu_title")}>
                    { for draw.items.iter().map(|c| {
                        let n = c.number;
                        html! {
                            <li key={n} value={n.to_string()}>
                                <button data-testid="chapter" data-chapter={n.to_string()}
                                    aria-current={c.open.then_some("true")}
                                    onclick={chapter(ChapterMsg::Open(n))}>
                                    { format!("{n}. {}", c.title) }
                                </button>
                            </li>
                        }
                    }) }
                </ol>
            }
            if let Some(r) = &draw.reader {
                <section class="tour chapter" data-testid="chapter-open" data-chapter={r.chapter.to_string()}
                    data-step={r.step.to_string()} data-highlight={r.highlight}
                    aria-label={tr(lang, "learn.label")}>
                    <h2>{ format!("{}. {}", r.chapter, r.title) }</h2>
                    <p class="chapter-progress">
                        { trf(lang, "learn.step_of", &[("step", &r.step), ("of", &r.of)]) }
                    </p>
                    <p class="chapter-caption" aria-live="polite">{ r.caption.clone() }</p>
                    if let Some(t) = &r.task {
                        <div class="task" data-testid="task" data-done={t.done.to_string()}>
                            <strong>{ tr(lang, "learn.try_it") }</strong>
                            <p>{ t.text.clone() }</p>
                            <p class="task-state" role="status">
                                { if t.done { tr(lang, "learn.done") } else { tr(lang, "learn.not_yet") } }
                            </p>
                        </div>
                    }
                    <div class="chapter-buttons">
                        <button data-testid="chapter-back" disabled={!r.can_back}
                            onclick={chapter(ChapterMsg::Back)}>{ tr(lang, "learn.back") }</button>
                        <button data-testid="chapter-next" disabled={!r.can_next}
                            onclick={chapter(ChapterMsg::Next)}>{ tr(lang, "learn.next") }</button>
                        <button data-testid="chapter-close" onclick={chapter(ChapterMsg::Close)}>
                            { tr(lang, "learn.close") }
                        </button>
                    </div>
                </section>
            }
        </section>
    }
}
