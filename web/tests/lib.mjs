// Shared by the browser test suites: the test runner, assertions and page probes.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const artifacts = path.join(here, 'artifacts');
// Raft elects a leader within a few election timeouts; this is generous.
export const LEADER_WITHIN_SIM_US = 10_000_000;
export const WALL_TIMEOUT_MS = 45_000;
/** Headless Chromium's flags (Debian's /usr/bin/chromium; playwright-core never downloads one). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // The embedding tests load the <raft-playground> module from another origin on 127.0.0.1,
  // as from a CDN; Chromium's local-network checks would ask for a permission no one can give.
  '--disable-features=LocalNetworkAccessChecks,BlockInsecurePrivateNetworkRequests,PrivateNetworkAccessSendPreflights',
];

export const results = [];

/** Runs every test whose name contains $ONLY (all when unset). */
const only = process.env.ONLY ?? '';

export async function test(name, body) {
  if (only && !name.includes(only)) return;
  const started = Date.now();
  try {
    await body();
    results.push({ name, ok: true });
    console.log(`ok      ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    results.push({ name, ok: false });
    console.log(`FAILED  ${name} (${Date.now() - started} ms)\n        ${String(err?.message ?? err).replaceAll('\n', '\n        ')}`);
  }
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Opens the page with `query`, recording console errors, page errors and failed requests. */
export async function open(context, baseUrl, query, { reducedMotion, viewport } = {}) {
  const page = await context.newPage();
  if (reducedMotion) await page.emulateMedia({ reducedMotion });
  if (viewport) await page.setViewportSize(viewport);
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  await page.goto(baseUrl + query, { waitUntil: 'load', timeout: WALL_TIMEOUT_MS });
  revealPanels(page);
  return { page, problems };
}

/**
 * Opens the side panel's section that holds `selector`'s element, if it is in a
 * closed one (as a person opens the tab before using what is in it).
 */
export async function reveal(page, selector) {
  if (typeof selector !== 'string') return;
  const clicked = await page
    .evaluate((sel) => {
      let el;
      try {
        el = document.querySelector(sel);
      } catch {
        return false;
      }
      const body = el?.closest('[data-testid=panel-body]');
      const panel = el?.closest('[data-testid=side-panel]');
      if (!body || (!body.hidden && panel?.dataset.open !== 'false')) return false;
      document.querySelector(`[data-testid=panel-tab][data-panel=${body.dataset.panel}]`)?.click();
      return true;
    }, selector)
    .catch(() => false);
  if (clicked) {
    await page
      .waitForFunction((sel) => {
        const body = document.querySelector(sel)?.closest('[data-testid=panel-body]');
        return !body || !body.hidden;
      }, selector, { timeout: 5_000 })
      .catch(() => {});
  }
}

/** Makes the page's element actions open the right panel section first (see `reveal`). */
function revealPanels(page) {
  const attached = page.waitForSelector.bind(page);
  // Actions wait for their element to exist before opening its section; queries do not.
  const acting = new Set(['click', 'fill', 'selectOption', 'check', 'uncheck', 'focus', 'setInputFiles', 'dispatchEvent', '$eval', 'waitForSelector']);
  for (const name of [...acting, 'isChecked', 'inputValue', 'isDisabled', 'isVisible']) {
    const original = page[name].bind(page);
    page[name] = async (selector, ...rest) => {
      const state = name === 'waitForSelector' ? rest[0]?.state : undefined;
      if (acting.has(name) && typeof selector === 'string' && (state === undefined || state === 'visible')) {
        await attached(selector, { state: 'attached', timeout: rest[0]?.timeout ?? WALL_TIMEOUT_MS }).catch(() => {});
      }
      await reveal(page, selector);
      return original(selector, ...rest);
    };
  }
}

export const nodeStates = (page) =>
  page.$$eval('[data-testid=node]', (nodes) =>
    nodes.map((n) => ({
      id: n.dataset.nodeId,
      role: n.dataset.role,
      term: n.dataset.term,
      alive: n.dataset.alive,
      commit: n.dataset.commit,
    })),
  );

export const simTimeUs = async (page) =>
  Number(await page.getAttribute('[data-testid=sim-time]', 'data-us'));

/** Polls `probe` (an async function returning a value or undefined) until it returns something truthy. */
export async function until(page, what, probe, timeoutMs = WALL_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(100);
  }
}

export const leaderOf = (nodes) => nodes.find((n) => n.role === 'leader' && n.alive === 'true');
export const playState = (page) => page.getAttribute('[data-testid=play-pause]', 'data-state');

/** Clicks an element that may be moving or overlapped: a real click if possible, else a dispatched one. */
export async function clickSvg(page, selector) {
  try {
    await page.locator(selector).click({ timeout: 3_000 });
  } catch {
    await page.locator(selector).dispatchEvent('click');
  }
}

export async function pause(page) {
  if ((await playState(page)) === 'playing') await page.click('[data-testid=play-pause]');
  await until(page, 'paused', async () => (await playState(page)) === 'paused');
}

/**
 * Steps the paused run inside the page, one event a click of Step, until `done(arg)` (a
 * function run in the page) holds. Returns the steps taken, or -1 if it still does not
 * hold after `max` steps. Deterministic: it depends only on the run, not on the wall clock.
 */
export const stepUntil = (page, done, arg = null, max = 5_000) =>
  page.evaluate(
    async ([done, arg, max]) => {
      const holds = new Function('arg', `return (${done})(arg);`);
      const step = document.querySelector('[data-testid=step]');
      for (let i = 0; i < max; i++) {
        if (holds(arg)) return i;
        step.click();
        await new Promise((r) => setTimeout(r, 0));
      }
      return holds(arg) ? max : -1;
    },
    [done.toString(), arg, max],
  );
