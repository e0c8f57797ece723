// The page's design: full-page screenshots at a phone's, a laptop's and a large screen's
// width (each theme), the README's DOM contract held against the page, and an
// accessibility scan with axe-core. Run alone with `ONLY=design node browser.mjs`.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cells, parseDomContract } from '../dom-contract.mjs';
import { showTabOf } from '../tabs.mjs';
import {
  artifacts, assert, clickSvg, leaderOf, nodeStates, open, pause, stepUntil, test, until, WALL_TIMEOUT_MS,
} from '../lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// README_PATH: another README to hold the page to (to see the check fail on purpose).
const README = path.resolve(process.env.README_PATH ?? path.join(here, '../../../README.md'));
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

const VIEWPORTS = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

const node = (id) => `[data-testid=node][data-node-id="${id}"]`;

// ---------------------------------------------------------------------------------------
// Themes. The page's theme switch is [data-testid=theme]; a build without one is checked
// in the light theme only. The switch may be a <select>, radio buttons or a button or
// checkbox that toggles: whichever it is, the page counts as dark when an element has
// data-theme="dark" (light when one has another data-theme) or, failing that, when its
// background is dark.

const hasThemeSwitch = async (page) => (await page.$('[data-testid=theme]')) !== null;

export const isDark = (page) =>
  page.evaluate(() => {
    if (document.querySelector('[data-theme=dark]')) return true;
    if (document.querySelector('[data-theme]')) return false;
    for (let el = document.querySelector('[data-testid=playground]'); el; el = el.parentElement) {
      const m = getComputedStyle(el).backgroundColor.match(/[\d.]+/g)?.map(Number) ?? [];
      if (m.length >= 3 && (m.length < 4 || m[3] > 0)) {
        const [r, g, b] = m.map((v) => v / 255);
        return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.35;
      }
    }
    return false;
  });

/** Puts the page in the light or dark theme, with the theme switch if the page has one. */
export async function setTheme(page, theme) {
  const dark = theme === 'dark';
  await page.emulateMedia({ colorScheme: theme });
  if ((await isDark(page)) === dark) return;
  assert(await hasThemeSwitch(page), `the page is not in the ${theme} theme and has no [data-testid=theme] switch`);
  const sw = page.locator('[data-testid=theme]').first();
  const kind = await sw.evaluate((el) => ({
    select: el.tagName === 'SELECT' ? [...el.options].map((o) => ({ value: o.value, text: o.textContent })) : null,
    radios: [...el.querySelectorAll('input[type=radio]')].map((r) => ({ value: r.value, text: r.labels?.[0]?.textContent ?? '' })),
  }));
  const named = (o) => new RegExp(theme, 'i').test(`${o.value} ${o.text}`);
  if (kind.select) {
    const option = kind.select.find(named);
    assert(option, `the theme <select> has no ${theme} option: ${JSON.stringify(kind.select)}`);
    await sw.selectOption(option.value);
  } else if (kind.radios.length) {
    const radio = kind.radios.find(named);
    assert(radio, `the theme switch has no ${theme} radio button: ${JSON.stringify(kind.radios)}`);
    await sw.locator(`input[type=radio][value="${radio.value}"]`).check();
  } else {
    // A toggle (button or checkbox), perhaps cycling through light, dark and "system".
    for (let i = 0; i < 3 && (await isDark(page)) !== dark; i++) {
      await sw.click();
      await page.waitForTimeout(100);
    }
  }
  await until(page, `the ${theme} theme`, async () => (await isDark(page)) === dark, 5_000);
}

/**
 * The themes to check: light, and dark when the page has a theme switch (with a log line
 * saying it is skipped when it has none yet). The page's localStorage is restored after
 * `body`, so a theme the switch remembers does not leak into the next tests.
 */
async function eachTheme(page, what, body) {
  const themes = (await hasThemeSwitch(page)) ? ['light', 'dark'] : ['light'];
  if (themes.length === 1) {
    console.log(`        note: no [data-testid=theme] switch yet: ${what} in the light theme only, the dark one skipped`);
  }
  const saved = await page.evaluate(() => JSON.stringify({ ...localStorage }));
  try {
    for (const theme of themes) {
      await setTheme(page, theme);
      await body(theme);
    }
  } finally {
    await page.evaluate((saved) => {
      localStorage.clear();
      for (const [k, v] of Object.entries(JSON.parse(saved))) localStorage.setItem(k, v);
    }, saved);
  }
}

// ---------------------------------------------------------------------------------------
// A picture worth looking at: seed 7 opened paused at 600 ms, the leader selected, a client
// request sent from its menu and stepped until committed, heartbeats in flight. Stepping
// keeps it the same on every run (the wall clock plays no part).

async function openScene(context, baseUrl, viewport) {
  const { page, problems } = await open(context, baseUrl, '?v=1&seed=7&size=5&t=600000&paused', { viewport });
  await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
  assert((await stepUntil(page, () => document.querySelector('[data-testid=node][data-role=leader][data-alive=true]'))) >= 0, 'no leader');
  const leader = leaderOf(await nodeStates(page));
  await page.click(node(leader.id));
  await showTabOf(page, `[data-testid=inspector][data-node-id="${leader.id}"]`);
  await (await showTabOf(page, '[data-testid=server-menu] [data-action=request]')).click();
  const committed = await stepUntil(
    page,
    (before) => [...document.querySelectorAll('[data-testid=node]')].every((n) => Number(n.dataset.commit) > before),
    Number(leader.commit),
  );
  assert(committed >= 0, 'the client request did not commit on every server');
  await stepUntil(page, () => document.querySelectorAll('[data-testid=message]').length >= 3);
  await page.evaluate(() => document.activeElement?.blur());
  return { page, problems, leader };
}

// ---------------------------------------------------------------------------------------
// The DOM contract. Some test ids exist only in some states, so the check visits these
// states and takes the union of what it sees (test ids, the data-* attributes on each,
// and the data-action values inside each):
//   notice             Split pressed with group B empty
//   link-gate          S1 to S2 cut one way in the Faults panel (then mended)
//   inspector, why, progress, server-menu   a server (the leader) selected
//   node-menu          right-click on a server
//   kv-request, kv-step, kv-client[data-busy], arrow[data-client]   a request pending
//   kv-request[data-result], kv-pair   a request answered
//   share-link         after Share
//   dropped-message, arrow[data-reason]   a message dropped by hand
//   message-inspector[data-msg-id]        an arrow clicked in the space-time diagram
//   message[data-success]                 a reply in flight (sampled while playing)
//   help               "?" pressed
//   in-past            the scrubber moved back
//   scenario, scenario-status, scenario-check, rejected-slot   the backtracking scenario
//   violation          Figure 8 with the commit-previous-term bug, at its end
//   safety-jump, safety-property[data-state=violated]   the same, in the Learn panel
//   message-actions, message[data-held]   a message pointed at and held
//   learn, chapter, chapter-open, task, chapter-*   ?chapter=1&step=99, the list shown
//   hunt-progress, hunt-stop   a hunt running (no bug on)
//   explore-stop, explore-progress, explore-result   an exploration running, then stopped
//   bug-scenario, hunt-result, rewind-before   apply-before-commit's scenario hunted
//   lin-op, lin-op-bar  the same played on until its history is not linearizable
//   banner             a link with a bad seed
//   tour, tour-close   the tour started
//   panic              ?crash (the crash box)

/** What the page shows now: test id -> data-* attributes, and "testid data-x" -> values inside. */
const snapshot = (page, values) =>
  page.evaluate((values) => {
    const ids = {};
    for (const el of document.querySelectorAll('[data-testid]')) {
      const attrs = (ids[el.dataset.testid] ??= []);
      for (const a of el.getAttributeNames()) if (a.startsWith('data-') && a !== 'data-testid' && !attrs.includes(a)) attrs.push(a);
    }
    const inside = {};
    for (const { attr, within } of values) {
      for (const scope of within.length ? within : [null]) {
        const roots = scope ? [...document.querySelectorAll(`[data-testid=${scope}]`)] : [document];
        const found = (inside[`${scope ?? 'page'} ${attr}`] = []);
        for (const root of roots) for (const el of root.querySelectorAll(`[${attr}]`)) found.push(el.getAttribute(attr));
      }
    }
    return { ids, inside };
  }, values);

class Seen {
  constructor(values) {
    this.values = values;
    this.ids = new Map();
    this.inside = new Map();
    this.states = [];
  }
  async add(page, state) {
    const { ids, inside } = await snapshot(page, this.values);
    for (const [id, attrs] of Object.entries(ids)) {
      if (!this.ids.has(id)) this.ids.set(id, new Set());
      for (const a of attrs) this.ids.get(id).add(a);
    }
    for (const [key, vals] of Object.entries(inside)) {
      if (!this.inside.has(key)) this.inside.set(key, new Set());
      for (const v of vals) this.inside.get(key).add(v);
    }
    if (!this.states.includes(state)) this.states.push(state);
  }
}

async function visitRunningCluster(context, baseUrl, seen) {
  const { page, problems } = await open(context, baseUrl, '?seed=7&speed=1', { viewport: { width: 1280, height: 900 } });
  await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
  // Split with every server in group A: a notice says why not.
  await (await showTabOf(page, '[data-testid=partition-split]')).click();
  await page.waitForSelector('[data-testid=notice]', { state: 'attached', timeout: 10_000 });
  await seen.add(page, 'Split with group B empty');
  // One way of a link cut, then mended.
  const way = '[data-testid=way][data-from="1"][data-to="2"]';
  await (await showTabOf(page, way)).click();
  await page.waitForSelector('[data-testid=link-gate]', { state: 'attached', timeout: 10_000 });
  await seen.add(page, 'a link cut one way');
  await page.click(way);
  await page.waitForSelector('[data-testid=link-gate]', { state: 'detached', timeout: 10_000 });
  const leader = await until(page, 'a leader', async () => leaderOf(await nodeStates(page)));
  // Replies are in flight now and then: sample a running cluster for a while.
  for (let i = 0; i < 15; i++) {
    await seen.add(page, 'a running cluster');
    await page.waitForTimeout(80);
  }
  // A client request, sent paused so that it stays pending, then answered.
  await pause(page);
  await (await showTabOf(page, '[data-testid=kv-key]')).fill('x');
  await (await showTabOf(page, '[data-testid=kv-value]')).fill('1');
  await (await showTabOf(page, '[data-testid=kv-send]')).click();
  await page.waitForSelector('[data-testid=kv-request][data-status=pending]', { state: 'attached', timeout: 10_000 });
  await seen.add(page, 'a request pending');
  await stepUntil(page, () => document.querySelector('[data-testid=arrow][data-client]'));
  await seen.add(page, 'a request pending');
  await page.click('[data-testid=play-pause]');
  await page.waitForSelector('[data-testid=kv-request][data-status=ok]', { state: 'attached', timeout: WALL_TIMEOUT_MS });
  await seen.add(page, 'a request answered');
  // The leader selected, its menus open.
  await page.click(node(leader.id));
  await page.waitForSelector(`[data-testid=inspector][data-node-id="${leader.id}"]`, { state: 'attached', timeout: 10_000 });
  await seen.add(page, 'a server selected');
  await page.click(`${node(leader.id)} .body`, { button: 'right' });
  await page.waitForSelector('[data-testid=node-menu]', { state: 'attached', timeout: 10_000 });
  await seen.add(page, 'a server menu open');
  await page.keyboard.press('Escape');
  await until(page, 'the menu to close', async () => (await page.$('[data-testid=node-menu]')) === null, 10_000);
  // Share.
  await (await showTabOf(page, '[data-testid=share]')).click();
  await page.waitForSelector('[data-testid=share-link]', { state: 'attached', timeout: 10_000 });
  await seen.add(page, 'after Share');
  // A message dropped by hand (paused, so it is still there to click), then its arrow.
  await pause(page);
  assert((await stepUntil(page, () => document.querySelector('[data-testid=message]'))) >= 0, 'no message in flight');
  const id = await page.$eval('[data-testid=message]', (m) => m.dataset.msgId);
  // Pointed at, it shows its actions bar; held, it says so.
  await page.hover(`[data-testid=message][data-msg-id="${id}"]`, { force: true });
  await page.waitForSelector(`[data-testid=message-actions][data-msg-id="${id}"]`, { state: 'attached', timeout: 10_000 });
  await seen.add(page, 'a message pointed at');
  await page.click('[data-testid=message-actions] [data-action=hold]');
  await page.waitForSelector(`[data-testid=message][data-msg-id="${id}"][data-held=true]`, { state: 'attached', timeout: 10_000 });
  await seen.add(page, 'a message held');
  await page.hover(`[data-testid=message][data-msg-id="${id}"]`, { force: true });
  await page.waitForSelector('[data-testid=message-actions][data-held=true] [data-action=release]', { state: 'attached', timeout: 10_000 });
  await seen.add(page, 'a message held');
  await page.click('[data-testid=message-actions] [data-action=release]');
  await page.waitForSelector(`[data-testid=message][data-msg-id="${id}"]:not([data-held])`, { state: 'attached', timeout: 10_000 });
  await clickSvg(page, `[data-testid=message][data-msg-id="${id}"]`);
  await page.waitForSelector(`[data-testid=dropped-message][data-msg-id="${id}"]`, { state: 'attached', timeout: 10_000 });
  await seen.add(page, 'a message dropped');
  await clickSvg(page, `[data-testid=arrow][data-msg-id="${id}"]`);
  await page.waitForSelector('[data-testid=message-inspector][data-msg-id]', { state: 'attached', timeout: 10_000 });
  await seen.add(page, 'an arrow clicked');
  // Help.
  await (await showTabOf(page, '[data-testid=step]')).focus();
  await page.keyboard.press('?');
  await page.waitForSelector('[data-testid=help]', { state: 'attached', timeout: 10_000 });
  await seen.add(page, 'help open');
  await page.keyboard.press('Escape');
  // In the past.
  await page.$eval('[data-testid=scrubber]', (el) => {
    el.value = String(Math.floor(Number(el.max) / 2));
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  await page.waitForSelector('[data-testid=in-past]', { state: 'attached', timeout: 10_000 });
  await seen.add(page, 'in the past');
  assert(problems.length === 0, problems.join('\n'));
  await page.close();
}

async function visitOthers(context, baseUrl, seen) {
  {
    const { page, problems } = await open(context, baseUrl, '?seed=1&scenario=backtracking&paused');
    await page.waitForSelector('[data-testid=scenario]', { state: 'attached', timeout: WALL_TIMEOUT_MS });
    await seen.add(page, 'the backtracking scenario');
    assert((await stepUntil(page, () => document.querySelector('[data-testid=rejected-slot]'))) >= 0, 'no rejected slot');
    await seen.add(page, 'the backtracking scenario');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  }
  {
    const { page, problems } = await open(context, baseUrl, '?v=1&seed=8&scenario=figure8-commit-previous-term&t=400000&paused');
    await page.waitForSelector('[data-testid=violation]', { state: 'attached', timeout: WALL_TIMEOUT_MS });
    await seen.add(page, 'Figure 8 with the bug, at its end');
    await (await showTabOf(page, '[data-testid=safety]')).scrollIntoViewIfNeeded();
    await page.waitForSelector('[data-testid=safety-property][data-state=violated] [data-testid=safety-jump]', { state: 'attached', timeout: WALL_TIMEOUT_MS });
    await seen.add(page, 'Figure 8 with the bug, the safety panel');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  }
  {
    // The chapters: the list, then chapter 1 at its last step (past the end), with its task.
    const { page, problems } = await open(context, baseUrl, '?seed=1&chapter=1&step=99', { viewport: { width: 1280, height: 900 } });
    await page.waitForSelector('[data-testid=chapter-open] [data-testid=task]', { state: 'attached', timeout: WALL_TIMEOUT_MS });
    await (await showTabOf(page, '[data-testid=learn]')).click();
    await page.waitForSelector('[data-testid=chapter]', { state: 'attached', timeout: 10_000 });
    await seen.add(page, 'a chapter open, the list shown');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  }
  {
    // Bug mode: a hunt with no bug on runs until stopped; with apply-before-commit and its
    // scenario it finds the violation and offers to rewind.
    const { page, problems } = await open(context, baseUrl, '?seed=7&speed=1', { viewport: { width: 1280, height: 900 } });
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    await (await showTabOf(page, '[data-testid=find-violation]')).click();
    await page.waitForSelector('[data-testid=hunt-stop]', { state: 'attached', timeout: 10_000 });
    await page.waitForSelector('[data-testid=hunt-progress]', { state: 'attached', timeout: 10_000 });
    await seen.add(page, 'hunting');
    await page.click('[data-testid=hunt-stop]');
    await page.waitForSelector('[data-testid=find-violation]', { state: 'attached', timeout: 10_000 });
    await page.selectOption('[data-testid=bug-select]', 'apply-before-commit');
    await page.waitForSelector('[data-testid=bug-scenario]', { state: 'attached', timeout: 10_000 });
    await page.click('[data-testid=bug-scenario]');
    await until(page, 'the bug on', async () => (await page.inputValue('[data-testid=bug-select]')) === 'apply-before-commit');
    await (await showTabOf(page, '[data-testid=find-violation]')).click();
    await page.waitForSelector('[data-testid=hunt-result][data-state=found] [data-testid=rewind-before]', { state: 'attached', timeout: WALL_TIMEOUT_MS });
    await seen.add(page, 'a violation found');
    // Played on, its client history stops being linearizable: the offending operations are marked.
    await page.click('[data-testid=play-pause]');
    await page.waitForSelector('[data-testid=lin-op-bar]', { state: 'attached', timeout: WALL_TIMEOUT_MS });
    await seen.add(page, 'a history that is not linearizable');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  }
  {
    // The model checker: running (Stop and the progress), then stopped (the result).
    const { page, problems } = await open(context, baseUrl, '?seed=2&size=3&paused', { viewport: { width: 1280, height: 900 } });
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    await (await showTabOf(page, '[data-testid=explore-depth]')).fill('30');
    await page.press('[data-testid=explore-depth]', 'Enter');
    await page.click('[data-testid=explore]');
    await page.waitForSelector('[data-testid=explore-stop]', { state: 'attached', timeout: 10_000 });
    await seen.add(page, 'exploring');
    await page.click('[data-testid=explore-stop]');
    await page.waitForSelector('[data-testid=explore-result][data-outcome=stopped]', { state: 'attached', timeout: 10_000 });
    await seen.add(page, 'an exploration stopped');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  }
  {
    const { page, problems } = await open(context, baseUrl, '?seed=banana');
    await page.waitForSelector('[data-testid=banner]', { state: 'attached', timeout: WALL_TIMEOUT_MS });
    await seen.add(page, 'a bad link');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  }
  {
    const { page, problems } = await open(context, baseUrl, '?seed=5&speed=1');
    await (await showTabOf(page, '[data-testid=tour-start]')).click();
    await page.waitForSelector('[data-testid=tour]', { state: 'attached', timeout: WALL_TIMEOUT_MS });
    await seen.add(page, 'the tour');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  }
  {
    const { page } = await open(context, baseUrl, '?seed=9&crash');
    await page.waitForSelector('[data-testid=panic]', { state: 'attached', timeout: WALL_TIMEOUT_MS });
    await seen.add(page, 'the crash box');
    await page.close();
  }
}

// ---------------------------------------------------------------------------------------
// Accessibility: axe-core's rules (WCAG 2 A/AA and best practices), failing on serious and
// critical violations.

const FAIL_ON = new Set(['serious', 'critical']);

// Serious violations found when this scan was added, each left to the change that owns
// the fix (colours and layout are being redesigned; a label's wording lives in the view
// model). They are matched by rule and by the element's data-testid (or its nearest
// ancestor's), printed on every run, and fail the test under AXE_STRICT=1. Anything
// else serious or critical fails. Remove an entry once its fix lands.
// Violations seen and accepted for now, each with why (none today: the match_index
// colour and the servers' labels were fixed in the redesign).
const KNOWN = [];
const STRICT = process.env.AXE_STRICT === '1';

/** axe-core's violations on the page now, one entry per element, with the element's test id. */
async function axeScan(page) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const { violations } = await window.axe.run(document, { resultTypes: ['violations'], elementRef: true });
    return violations.flatMap((v) =>
      v.nodes.map((n) => ({
        id: v.id,
        impact: n.impact ?? v.impact,
        help: v.help,
        target: n.target.join(' '),
        testid: n.element?.closest('[data-testid]')?.dataset.testid ?? '',
        summary: (n.failureSummary ?? '').split('\n').slice(1, 2).join(' ').trim(),
      })),
    );
  });
}

// A small table in the README's format, for the parser's own test.
const SAMPLE_CONTRACT = [
  '## DOM contract (version 9)',
  '',
  '| element | attributes |',
  '|---|---|',
  '| `[data-testid=node]` (one per server) | `data-node-id`, `data-role` (`follower`, `leader`) |',
  '| `[data-testid=next-index]`, `[data-testid=match-index]` | `data-index` |',
  '| controls | `play-pause` (`data-state`), `step`, the sliders `latency` |',
  '| the run | `banner` (`data-kind` = `error`/`info`: news), `scenario-select` (a `<select>`, e.g. `backtracking`) |',
  '| editor | `chip` and `group` (`data-group`), `split` |',
  '| menus | `[data-testid=menu]` (`data-node-id`) with buttons `[data-action=crash\\|restart]` |',
  '',
  '## Next section',
  '',
  '| `not-in-the-contract` | `data-x` |',
].join('\n');

export default async function design(context, baseUrl) {
  await test('design: the DOM contract parser reads ids, attributes, groups and escaped bars', async () => {
    assert(JSON.stringify(cells('| a \\| b | c |')) === '["a | b","c"]', `cells: ${JSON.stringify(cells('| a \\| b | c |'))}`);
    const c = parseDomContract(SAMPLE_CONTRACT);
    const got = Object.fromEntries([...c.ids].map(([id, attrs]) => [id, [...attrs].join(' ')]));
    const want = {
      node: 'data-node-id data-role',
      'next-index': 'data-index',
      'match-index': 'data-index',
      'play-pause': 'data-state',
      step: '',
      latency: '',
      banner: 'data-kind',
      'scenario-select': '',
      chip: 'data-group',
      group: 'data-group',
      split: '',
      menu: 'data-node-id',
    };
    assert(JSON.stringify(got) === JSON.stringify(want), `parsed ${JSON.stringify(got)}\nwanted ${JSON.stringify(want)}`);
    assert(
      JSON.stringify(c.values) === JSON.stringify([{ attr: 'data-action', values: ['crash', 'restart'], within: ['menu'] }]),
      `values: ${JSON.stringify(c.values)}`,
    );
    assert(c.heading === 'DOM contract (version 9)' && c.rows === 6, `heading ${c.heading}, ${c.rows} rows`);
  });

  await test('design: full-page screenshots at 390, 1280 and 1920 px wide', async () => {
    const { page, problems } = await openScene(context, baseUrl, VIEWPORTS[1]);
    const written = [];
    await eachTheme(page, 'screenshots', async (theme) => {
      for (const viewport of VIEWPORTS) {
        await page.setViewportSize(viewport);
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.waitForTimeout(250);
        const file = `design-${viewport.width}x${viewport.height}-${theme}.png`;
        await page.screenshot({ path: path.join(artifacts, file), fullPage: true });
        written.push(file);
      }
    });
    console.log(`        wrote ${written.join(', ')} to web/tests/artifacts/`);
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test("design: the README's DOM contract: every test id and data-* attribute it names is on the page", async () => {
    const contract = parseDomContract(readFileSync(README, 'utf8'));
    assert(contract.ids.size >= 40, `read only ${contract.ids.size} test ids from the README's DOM contract: is the table's format still | element | attributes |?`);
    const seen = new Seen(contract.values);
    await visitRunningCluster(context, baseUrl, seen);
    await visitOthers(context, baseUrl, seen);
    const missingIds = [...contract.ids.keys()].filter((id) => !seen.ids.has(id));
    const missingAttrs = [...contract.ids]
      .filter(([id]) => seen.ids.has(id))
      .flatMap(([id, attrs]) => [...attrs].filter((a) => !seen.ids.get(id).has(a)).map((a) => `[data-testid=${id}] ${a}`));
    const missingValues = contract.values.flatMap(({ attr, values, within }) =>
      (within.length ? within : ['page']).flatMap((scope) =>
        values.filter((v) => !seen.inside.get(`${scope} ${attr}`)?.has(v)).map((v) => `[${attr}=${v}] in ${scope === 'page' ? 'the page' : `[data-testid=${scope}]`}`),
      ),
    );
    const extra = [...seen.ids.keys()].filter((id) => !contract.ids.has(id)).sort();
    if (extra.length) console.log(`        note: test ids on the page that the README's contract does not name: ${extra.join(', ')}`);
    const problems = [
      missingIds.length && `test ids the README names but the page never showed: ${missingIds.join(', ')}`,
      missingAttrs.length && `attributes the README names but the page's elements lack: ${missingAttrs.join(', ')}`,
      missingValues.length && `elements the README names but the page lacks: ${missingValues.join(', ')}`,
    ].filter(Boolean);
    assert(
      problems.length === 0,
      `${contract.heading}: ${problems.join('\n')}\n(states visited: ${seen.states.join('; ')})`,
    );
  });

  await test('design: accessibility (axe-core): no serious or critical violation, with the inspector and menu closed and open', async () => {
    const { page, problems, leader } = await openScene(context, baseUrl, VIEWPORTS[1]);
    const found = new Map();
    const scan = async (state) => {
      for (const v of await axeScan(page)) {
        const key = `${v.id} ${v.target}`;
        if (!found.has(key)) found.set(key, { ...v, states: [] });
        found.get(key).states.push(state);
      }
    };
    await eachTheme(page, 'the accessibility scan', async (theme) => {
      // Closed: nothing selected, no menu. Escape closes a menu first, then clears the selection.
      await page.keyboard.press('Escape');
      await page.keyboard.press('Escape');
      await until(page, 'no server selected', async () => (await page.$('[data-testid=inspector][data-node-id]')) === null, 5_000).catch(() => {});
      await scan(`${theme}, closed`);
      // The inspector open (the leader selected), then its menu open too.
      await page.click(node(leader.id));
      await showTabOf(page, `[data-testid=inspector][data-node-id="${leader.id}"]`);
      await scan(`${theme}, inspector open`);
      await page.click(`${node(leader.id)} .body`, { button: 'right' });
      await page.waitForSelector('[data-testid=node-menu]', { state: 'attached', timeout: 10_000 });
      await scan(`${theme}, inspector and menu open`);
      await page.keyboard.press('Escape');
    });
    // One line per rule, element kind and set of states.
    const lines = new Map();
    for (const v of found.values()) {
      const known = KNOWN.find((k) => k.id === v.id && k.testid === v.testid);
      const failing = FAIL_ON.has(v.impact) && (!known || STRICT);
      const key = `${v.impact} ${v.id} [data-testid=${v.testid || '-'}] (${v.states.join('; ')})`;
      if (!lines.has(key)) lines.set(key, { v, known, failing, targets: [] });
      lines.get(key).targets.push(v.target);
    }
    const failing = [];
    for (const [key, { v, known, failing: fails, targets }] of lines) {
      const shown = targets.length > 3 ? [...targets.slice(0, 3), `and ${targets.length - 3} more`] : targets;
      const line = `${key}: ${shown.join(' | ')}\n          ${v.summary}`;
      console.log(`        axe: ${known && !STRICT ? 'known, ' : ''}${line}${known ? `\n          known: ${known.why}` : ''}`);
      if (fails) failing.push(`${key}: ${v.help}: ${shown.join(' | ')}\n  ${v.summary}`);
    }
    for (const k of KNOWN) {
      if (![...found.values()].some((v) => v.id === k.id && v.testid === k.testid)) {
        console.log(`        axe: the known ${k.id} on [data-testid=${k.testid}] is gone: remove it from KNOWN in suites/design.mjs`);
      }
    }
    assert(failing.length === 0, `serious or critical accessibility violations:\n${failing.join('\n')}`);
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });
}
