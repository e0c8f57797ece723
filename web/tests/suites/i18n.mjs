// The page in Chinese: no English word left in what a person sees or hears (visible
// text, the live region, tooltips, accessible names), panel section by panel section,
// with the help, the key, the server menu, a client request, a selected message, a
// loaded scenario and the tour; then the language switch, which keeps the run exactly
// where it was and brings the English back.
// Run alone with `ONLY=i18n node browser.mjs` (after `cargo xtask dist`).
import { assert, clickSvg, leaderOf, nodeStates, open, pause, simTimeUs, stepUntil, test, until, WALL_TIMEOUT_MS } from '../lib.mjs';

const tab = (name) => `[data-testid=panel-tab][data-panel=${name}]`;
const PANELS = ['inspect', 'faults', 'membership', 'clients', 'learn', 'settings'];

/** What the test types into the key-value form (allowed: a person's own words). */
const TYPED = { key: 'color', value: 'blue' };

/**
 * Latin-letter words allowed in the Chinese page:
 * names (servers S1..S9 are matched apart), RPC names (and their replies, `...Response`)
 * and protocol-switch names, Raft, TiKV (a product's name),
 * the joint-consensus notation, KV, the ms unit, the switch's own label `English`,
 * what the test typed, names of keys on the keyboard (the help, shortcut hints),
 * and names of file formats and the CLI (the download buttons).
 */
const ALLOWED_WORDS = new Set([
  'AppendEntries', 'RequestVote', 'InstallSnapshot', 'TimeoutNow', 'PreVote', 'CheckQuorum', 'ReadIndex',
  'Raft', 'TiKV', 'C_old', 'C_new', 'KV', 'ms', 'English',
  TYPED.key, TYPED.value,
  'Tab', 'Enter', 'Shift', 'F10', 'Space', 'Esc', 'Escape', 'Delete', 'Backspace', 'Home', 'End',
  'JSON', 'Lines', 'SVG',
]);
/** Allowed phrases, removed before the words are looked at. */
const ALLOWED_PHRASES = ['C_old,new', 'raft-sim run', 'raft-sim check', 'raft-sim'];

/** The words of `text` that are English (Latin letters, not allowed). */
function englishWords(text) {
  let rest = text;
  for (const p of ALLOWED_PHRASES) rest = rest.split(p).join(' ');
  // A value in the key-value store (`x = after`, `color=blue`) is data, not words.
  rest = rest.replace(/=\s*[A-Za-z0-9_]+/g, '=');
  return (rest.match(/[A-Za-z][A-Za-z0-9_]*/g) ?? []).filter(
    (w) =>
      !ALLOWED_WORDS.has(w) &&
      !(w.endsWith('Response') && ALLOWED_WORDS.has(w.slice(0, -'Response'.length))) &&
      // A single letter: a shortcut key (c), a unit (s), a group (A, B), a mark (▲n).
      !/^[A-Za-z]$/.test(w) &&
      // A letter and a number: a server (S3), a term mark (T2), commit/applied marks (c4 a4).
      !/^[A-Za-z]\d+$/.test(w),
  );
}

/**
 * Everything a person sees or hears on the page now: the text of visible elements
 * (closed <details> are opened first; the visually hidden live region counts, as it
 * is heard), the options of visible menus, SVG <title> tooltips of visible shapes, and
 * the accessible names, tooltips and value texts of visible elements. Each item is
 * { where, text } with `where` the nearest data-testid (or tag and class) path.
 */
const heard = (page) =>
  page.evaluate(() => {
    for (const d of document.querySelectorAll('details:not([open])')) d.open = true;
    const shown = (el) => el && el.checkVisibility({ checkVisibilityCSS: true });
    const where = (el) => {
      const parts = [];
      for (let e = el; e && e !== document.body && parts.length < 3; e = e.parentElement) {
        const id = e.dataset?.testid;
        if (id) parts.unshift(`[${id}]`);
        else if (parts.length === 0) parts.unshift(`${e.tagName.toLowerCase()}${e.classList.length ? '.' + [...e.classList].join('.') : ''}`);
      }
      return parts.join(' ');
    };
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.nodeValue.trim();
      const el = n.parentElement;
      if (!text || !el || ['SCRIPT', 'STYLE', 'NOSCRIPT'].includes(el.tagName)) continue;
      // A tooltip (<title>) or a menu's option counts when what it belongs to is shown.
      const owner = el.tagName.toLowerCase() === 'title' ? el.parentElement : el.closest('select') ?? el;
      if (shown(owner)) out.push({ where: where(owner), text });
    }
    for (const el of document.body.querySelectorAll('[aria-label], [title], [aria-valuetext], [placeholder], [alt]')) {
      if (!shown(el)) continue;
      for (const a of ['aria-label', 'title', 'aria-valuetext', 'placeholder', 'alt']) {
        const v = el.getAttribute(a);
        if (v && v.trim()) out.push({ where: `${where(el)} @${a}`, text: v.trim() });
      }
    }
    return out;
  });

/**
 * Adds what is English in `items` to `found`, one entry per place and set of words
 * (the first text seen there as the example, how many texts), under the step's name.
 */
function collect(found, step, items) {
  for (const { where, text } of items) {
    const words = [...new Set(englishWords(text))].sort();
    if (words.length === 0) continue;
    const key = `${where} | ${words.join(', ')}`;
    const seen = found.get(key);
    if (seen) seen.count += 1;
    else found.set(key, { step, where, words, count: 1, text: text.length > 160 ? text.slice(0, 160) + '\u2026' : text });
  }
}

function report(found) {
  return [...found.values()]
    .map(({ step, where, words, count, text }) =>
      `${where} (${step}${count > 1 ? `, ${count} texts` : ''}): ${words.join(', ')}\n    e.g. ${text}`)
    .join('\n');
}

export default async function i18n(context, baseUrl) {
  await test('i18n: the Chinese page has no English word left, section by section', async () => {
    const { page, problems } = await open(context, baseUrl, '?lang=zh&seed=7', { viewport: { width: 1280, height: 900 } });
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    assert((await page.getAttribute('html', 'lang')) === 'zh-Hans', `<html lang> is ${await page.getAttribute('html', 'lang')}`);
    assert((await page.getAttribute('[data-testid=playground]', 'lang')) === 'zh-Hans', 'the playground is not marked zh-Hans');
    await pause(page);
    const found = new Map();
    const look = async (step) => collect(found, step, await heard(page));

    // A leader, selected: the inspector, its progress table and its menu.
    const steps = await stepUntil(page, () => document.querySelector('[data-testid=node][data-role=leader]') !== null);
    assert(steps >= 0, 'no leader after 5000 steps');
    const leader = leaderOf(await nodeStates(page));
    await page.click(tab('inspect'));
    await page.click(`[data-testid=node][data-node-id="${leader.id}"]`);
    await page.waitForSelector(`[data-testid=inspector][data-node-id="${leader.id}"]`, { timeout: 10_000 });
    await stepUntil(page, () => document.querySelector('[data-testid=progress]') !== null, null, 500);
    await look('inspect, a leader selected');
    await page.click(`[data-testid=node][data-node-id="${leader.id}"]`, { button: 'right' });
    await page.waitForSelector('[data-testid=node-menu]', { timeout: 5_000 });
    await look('the server menu');
    await page.keyboard.press('Escape');

    // A request from the page's client, with the words the test typed.
    await page.click(tab('clients'));
    await page.fill('[data-testid=kv-key]', TYPED.key);
    await page.fill('[data-testid=kv-value]', TYPED.value);
    await page.click('[data-testid=kv-send]');
    await stepUntil(
      page,
      (key) => document.querySelector(`[data-testid=kv-pair][data-key="${key}"]`) !== null,
      TYPED.key,
      2_000,
    );

    // Every section of the panel in turn.
    for (const p of PANELS) {
      await page.click(tab(p));
      await until(page, `the ${p} section`, () => page.isVisible(`[data-testid=panel-body][data-panel=${p}]`), 5_000);
      await look(`panel ${p}`);
    }

    // A message followed in the space-time diagram; the key; the help.
    await stepUntil(page, () => document.querySelector('[data-testid=arrow]') !== null, null, 500);
    const arrow = await page.$eval('[data-testid=arrow]:last-of-type', (a) => a.dataset.msgId);
    await clickSvg(page, `[data-testid=arrow][data-msg-id="${arrow}"]`);
    await until(page, 'a message selected', async () => (await page.getAttribute('[data-testid=message-inspector]', 'data-msg-id')) !== null, 5_000);
    await page.click('[data-testid=legend-toggle]');
    await look('a selected message, the key');
    await page.click('[data-testid=help-button]');
    await page.waitForSelector('[data-testid=help]', { timeout: 5_000 });
    await look('the help');
    await page.keyboard.press('Escape');

    // The switch keeps the run: nothing of the world moves.
    await pause(page);
    const world = () =>
      page.evaluate(() => ({
        us: document.querySelector('[data-testid=sim-time]').dataset.us,
        nodes: [...document.querySelectorAll('[data-testid=node]')].map((n) => JSON.stringify({ ...n.dataset })),
      }));
    const before = await world();
    await page.click('[data-testid=lang]');
    await until(page, '<html lang="en">', async () => (await page.getAttribute('html', 'lang')) === 'en', 5_000);
    assert((await page.getAttribute('[data-testid=playground]', 'lang')) === 'en', 'the playground is not marked en');
    const after = await world();
    assert(after.us === before.us, `sim-time moved on the switch: ${before.us} -> ${after.us}`);
    assert(
      JSON.stringify(after.nodes) === JSON.stringify(before.nodes),
      `servers changed on the switch:\n${before.nodes.join('\n')}\n->\n${after.nodes.join('\n')}`,
    );
    assert((await page.textContent('h1')).trim() === 'Raft Playground', `the title is ${await page.textContent('h1')}`);
    assert((await page.textContent('[data-testid=play-pause]')).includes('Play'), 'the play button is not in English');
    assert((await page.textContent(tab('inspect'))).trim() === 'Inspect', `the first tab reads ${await page.textContent(tab('inspect'))}`);
    assert((await page.textContent('[data-testid=lang]')).includes('\u4e2d\u6587'), 'the switch does not offer 中文');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
    assert(found.size === 0, `English left on the Chinese page (${found.size}):\n${report(found)}`);
  });

  await test('i18n: a scenario and the tour in Chinese', async () => {
    const { page, problems } = await open(context, baseUrl, '?lang=zh&seed=7', { viewport: { width: 1280, height: 900 } });
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    const found = new Map();
    const look = async (step) => collect(found, step, await heard(page));
    await page.click(tab('learn'));
    await page.selectOption('[data-testid=scenario-select]', 'joint-consensus');
    await page.waitForSelector('[data-testid=scenario][data-name=joint-consensus]', { timeout: 10_000 });
    const title = await page.textContent('[data-testid=scenario] h2');
    assert(title.includes('\u8054\u5408\u5171\u8bc6'), `the scenario's title is not in Chinese: ${title}`);
    await stepUntil(page, () => document.querySelector('[data-testid=node][data-role=leader]') !== null);
    await look('a loaded scenario');
    await page.click('[data-testid=tour-start]');
    await page.waitForSelector('[data-testid=tour]', { timeout: 10_000 });
    await pause(page);
    await stepUntil(page, () => document.querySelector('[data-testid=node][data-role=leader]') !== null);
    await look('the tour');
    // The scenario's words follow a switch to English too.
    await page.click('[data-testid=lang]');
    await until(page, '<html lang="en">', async () => (await page.getAttribute('html', 'lang')) === 'en', 5_000);
    const option = await page.$eval('[data-testid=scenario-select] option[value=joint-consensus]', (o) => o.textContent);
    assert(option.startsWith('Joint consensus'), `the menu's title after the switch: ${option}`);
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
    assert(found.size === 0, `English left on the Chinese page (${found.size}):\n${report(found)}`);
  });
}
