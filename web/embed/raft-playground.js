// <raft-playground>: a Raft Playground inside any page.
//
//   <script type="module" src="https://example.org/raft/raft-playground.js"></script>
//   <raft-playground scenario="figure8-safe" seed="7" controls="minimal" lang="zh"
//                    autoplay speed="0.05" height="420"></raft-playground>
//
// The contract (attributes, events, methods) is the README's "Embedding" section,
// version 1. The WebAssembly module is fetched and compiled once per page, from
// beside this file, however many elements there are; each element runs its own
// world in an open shadow root, so the host's styles and the playground's do not
// mix.

const HERE = new URL('.', import.meta.url);
const RUN_ATTRS = ['scenario', 'seed', 'size'];
const VIEW_ATTRS = ['controls', 'lang', 'speed'];
const ATTRS = [...RUN_ATTRS, ...VIEW_ATTRS, 'link', 'autoplay', 'height'];

let glue;
/** The wasm-bindgen module, initialised once (the page's own loader may already have). */
function loadWasm() {
  glue ??= import(new URL('raft-web.js', HERE).href).then(async (m) => {
    await m.default({ module_or_path: new URL('raft-web_bg.wasm', HERE) });
    return m;
  });
  return glue;
}

/** The query part of a share link (`https://…/?v=1&…`, `?v=1&…` or `v=1&…`). */
function linkQuery(link) {
  const q = link.includes('?') ? link.slice(link.indexOf('?') + 1) : link;
  return q.split('#')[0];
}

/** The playground's options (a query string) from the element's attributes. */
export function optionsOf(el) {
  const parts = [];
  const link = el.getAttribute('link');
  if (link) parts.push(linkQuery(link));
  const scenario = el.getAttribute('scenario');
  for (const name of link ? VIEW_ATTRS : [...RUN_ATTRS, ...VIEW_ATTRS]) {
    // A scenario brings its own number of servers.
    if (name === 'size' && scenario) continue;
    const value = el.getAttribute(name);
    if (value !== null && value !== '') parts.push(`${name}=${encodeURIComponent(value)}`);
  }
  if (!el.hasAttribute('controls')) parts.push('controls=minimal');
  if (!el.hasAttribute('autoplay')) parts.push('paused');
  return '?' + parts.filter(Boolean).join('&');
}

function heightOf(value) {
  if (!value) return '';
  return /^\d+(\.\d+)?$/.test(value) ? `${value}px` : value;
}

export class RaftPlayground extends HTMLElement {
  static observedAttributes = ATTRS;

  #mounted = null;
  #mount = null;
  #pending = false;
  #generation = 0;

  constructor() {
    super();
    const shadow = this.attachShadow({ mode: 'open' });
    shadow.innerHTML =
      '<style>:host{all:initial;display:block;height:420px;contain:content}' +
      ':host([hidden]){display:none}.mount{height:100%;overflow:auto}</style>' +
      `<link rel="stylesheet" href="${new URL('style.css', HERE).href}">` +
      '<div class="mount"></div>';
    this.#mount = shadow.querySelector('.mount');
  }

  connectedCallback() {
    this.style.height = heightOf(this.getAttribute('height')) || this.style.height;
    this.#schedule();
  }

  disconnectedCallback() {
    this.#generation++;
    this.#unmount();
  }

  attributeChangedCallback(name, old, value) {
    if (old === value) return;
    if (name === 'height') {
      this.style.height = heightOf(value);
      return;
    }
    if (this.isConnected) this.#schedule();
  }

  /** Play, pause, or load a library scenario or a share link (`{scenario}` or `{link}`). */
  play() { return this.#command('play'); }
  pause() { return this.#command('pause'); }
  load({ scenario, link } = {}) { return this.#command('load', scenario, link); }

  #command(type, scenario, link) {
    return this.#mounted ? this.#mounted.command(type, scenario ?? undefined, link ?? undefined) : false;
  }

  /** (Re)mounts once per batch of attribute changes. */
  #schedule() {
    if (this.#pending) return;
    this.#pending = true;
    const generation = ++this.#generation;
    queueMicrotask(async () => {
      this.#pending = false;
      const m = await loadWasm();
      if (generation !== this.#generation || !this.isConnected) return;
      this.#unmount();
      const root = document.createElement('div');
      root.style.height = '100%';
      this.#mount.replaceChildren(root);
      this.#mounted = new m.EmbeddedPlayground(root, this, optionsOf(this), new URL('index.html', HERE).href);
    });
  }

  #unmount() {
    if (this.#mounted) {
      this.#mounted.destroy();
      this.#mounted.free();
      this.#mounted = null;
    }
    this.#mount?.replaceChildren();
  }
}

if (!customElements.get('raft-playground')) {
  customElements.define('raft-playground', RaftPlayground);
}
