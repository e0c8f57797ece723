// Browser tests for the built page: serves dist/ locally and drives headless Chromium.
// Run with `cargo xtask test` (which builds dist/ first), or `node browser.mjs` after `cargo xtask dist`.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveDir } from './static-server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const distDir = path.resolve(process.env.DIST_DIR ?? path.join(here, '../../dist'));
const artifacts = path.join(here, 'artifacts');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
// Raft elects a leader within a few election timeouts; this is generous.
const LEADER_WITHIN_SIM_US = 10_000_000;
const WALL_TIMEOUT_MS = 45_000;

const results = [];

async function test(name, body) {
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

function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Opens the page with `query`, recording console errors, page errors and failed requests. */
async function open(context, baseUrl, query) {
  const page = await context.newPage();
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
  return { page, problems };
}

const nodeStates = (page) =>
  page.$$eval('[data-testid=node]', (nodes) =>
    nodes.map((n) => ({
      id: n.dataset.nodeId,
      role: n.dataset.role,
      term: n.dataset.term,
      alive: n.dataset.alive,
      commit: n.dataset.commit,
    })),
  );

const simTimeUs = async (page) =>
  Number(await page.getAttribute('[data-testid=sim-time]', 'data-us'));

async function main() {
  if (!existsSync(path.join(distDir, 'index.html'))) {
    console.log(`FAILED  no built page at ${distDir}: run \`cargo xtask dist\` first`);
    console.log('0 passed, 1 failed');
    process.exitCode = 1;
    return;
  }
  mkdirSync(artifacts, { recursive: true });
  const server = await serveDir(distDir, '/playground/');
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'raft-playground-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 900, height: 700 },
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    await runTests(context, server.url);
  } catch (err) {
    results.push({ name: 'browser start', ok: false });
    console.log(`FAILED  browser start\n        ${err?.message ?? err}`);
  } finally {
    await context?.close().catch(() => {});
    await server.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

async function runTests(context, baseUrl) {
  const { page, problems } = await open(context, baseUrl, '?seed=7');

  await test('page shows a cluster of 5 servers', async () => {
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    const nodes = await nodeStates(page);
    assert(nodes.length === 5, `expected 5 [data-testid=node], found ${nodes.length}`);
    assert(new Set(nodes.map((n) => n.id)).size === 5, `node ids not distinct: ${JSON.stringify(nodes)}`);
    for (const n of nodes) {
      for (const key of ['role', 'term', 'alive', 'commit']) {
        assert(n[key] !== undefined && n[key] !== '', `node ${n.id} has no data-${key}`);
      }
    }
    assert((await page.textContent('[data-testid=seed]')).includes('7'), 'seed 7 from the URL is not shown');
  });

  await test('simulated time advances', async () => {
    const first = await simTimeUs(page);
    await page.waitForFunction(
      (t) => Number(document.querySelector('[data-testid=sim-time]')?.dataset.us) > t,
      first,
      { timeout: 10_000 },
    );
  });

  await test(`exactly one leader within ${LEADER_WITHIN_SIM_US / 1e6} simulated seconds`, async () => {
    const deadline = Date.now() + WALL_TIMEOUT_MS;
    let nodes = [];
    let now = 0;
    try {
      for (;;) {
        nodes = await nodeStates(page);
        now = await simTimeUs(page);
        if (nodes.filter((n) => n.role === 'leader').length === 1) return;
        if (now > LEADER_WITHIN_SIM_US || Date.now() > deadline) break;
        await page.waitForTimeout(100);
      }
      throw new Error(
        `no single leader by simulated time ${(now / 1e6).toFixed(3)} s; roles: ` +
          nodes.map((n) => `${n.id}=${n.role}/t${n.term}`).join(' '),
      );
    } finally {
      await page.screenshot({ path: path.join(artifacts, 'cluster.png') });
    }
  });

  await test('no console errors and no failed requests', async () => {
    assert(problems.length === 0, problems.join('\n'));
  });
  await page.close();

  await test('a bad ?seed shows a message and the page still works', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=banana');
    const warning = await page.waitForSelector('[data-testid=seed-warning]', { timeout: 10_000 });
    assert((await warning.textContent()).includes('seed=banana'), 'warning does not quote the bad value');
    assert((await nodeStates(page)).length === 5, 'cluster not drawn');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=sim-time]')?.dataset.us) > 0,
      null,
      { timeout: 10_000 },
    );
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('a panic shows an error box with the seed to reproduce it', async () => {
    const { page } = await open(context, baseUrl, '?seed=9&crash');
    const box = await page.waitForSelector('[data-testid=panic]', { timeout: 10_000 });
    const text = await box.textContent();
    assert(text.includes('deliberate crash'), `panic message missing: ${text}`);
    assert(text.includes('?seed=9'), `reproduction seed missing: ${text}`);
    await page.screenshot({ path: path.join(artifacts, 'panic.png') });
    await page.close();
  });
}

await main();
