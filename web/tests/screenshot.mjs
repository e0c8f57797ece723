// Refreshes the README's picture, docs/screenshot.png, from the built page (dist/).
// Run with `cargo xtask screenshot` (which builds dist/ first), or `node screenshot.mjs`
// after `cargo xtask dist`. The browser tests never write outside web/tests/artifacts/.
//
// The picture is the whole page in a 1280x800 window, and it is deterministic: a fixed
// seed opened paused at a fixed moment, the leader selected, a client request sent from
// its menu, and the run stepped event by event until the entry has committed on every
// server and heartbeats are in flight. The same page gives the same picture, byte for byte.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveDir } from './static-server.mjs';
import { CHROMIUM_ARGS, leaderOf, nodeStates, stepUntil, WALL_TIMEOUT_MS } from './lib.mjs';
import { showTabOf } from './tabs.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const distDir = path.resolve(process.env.DIST_DIR ?? path.join(here, '../../dist'));
const out = path.resolve(process.env.SCREENSHOT_OUT ?? path.join(here, '../../docs/screenshot.png'));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const VIEWPORT = { width: 1280, height: 800 };
// The link's moment: seed 7, five servers, shown paused at 600 ms (a leader by then).
const QUERY = '?v=1&seed=7&size=5&t=600000&paused';

async function main() {
  if (!existsSync(path.join(distDir, 'index.html'))) {
    throw new Error(`no built page at ${distDir}: run \`cargo xtask dist\` first`);
  }
  const server = await serveDir(distDir, '/playground/');
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'raft-playground-screenshot-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: VIEWPORT,
      deviceScaleFactor: 1,
      colorScheme: 'light',
      reducedMotion: 'no-preference',
      args: CHROMIUM_ARGS,
    });
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => msg.type() === 'error' && problems.push(`console error: ${msg.text()}`));
    await page.goto(server.url + QUERY, { waitUntil: 'load', timeout: WALL_TIMEOUT_MS });
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });

    // A leader (step on if the seed has not elected one yet at the link's moment).
    if ((await stepUntil(page, () => document.querySelector('[data-testid=node][data-role=leader][data-alive=true]'))) < 0) {
      throw new Error('no leader after 5,000 steps');
    }
    const leader = leaderOf(await nodeStates(page));
    await page.click(`[data-testid=node][data-node-id="${leader.id}"]`);
    await showTabOf(page, `[data-testid=inspector][data-node-id="${leader.id}"]`);

    // A client request from the leader's menu, stepped until it has committed everywhere.
    const before = Number(leader.commit);
    await (await showTabOf(page, '[data-testid=server-menu] [data-action=request]')).click();
    const steps = await stepUntil(
      page,
      (before) => [...document.querySelectorAll('[data-testid=node]')].every((n) => Number(n.dataset.commit) > before),
      before,
    );
    if (steps < 0) throw new Error('the request did not commit on every server within 5,000 steps');
    // A few more events, so that the next heartbeats are in flight in the picture.
    if ((await stepUntil(page, () => document.querySelectorAll('[data-testid=message]').length >= 3)) < 0) {
      throw new Error('no messages in flight');
    }
    // Let the last frame (and any transition) settle; the run is paused, so nothing moves.
    await page.evaluate(() => {
      document.activeElement?.blur();
      window.scrollTo(0, 0);
    });
    await page.mouse.move(0, 0);
    await page.waitForTimeout(500);
    if (problems.length) throw new Error(problems.join('\n'));
    mkdirSync(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out, fullPage: true });
    const at = await page.getAttribute('[data-testid=sim-time]', 'data-us');
    console.log(`wrote ${out} (the whole page at ${VIEWPORT.width}x${VIEWPORT.height}, seed 7, S${leader.id} leading, ${Number(at) / 1000} ms)`);
  } finally {
    await context?.close().catch(() => {});
    await server.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
}

try {
  await main();
} catch (err) {
  console.error(`screenshot: ${err?.message ?? err}`);
  process.exitCode = 1;
}
