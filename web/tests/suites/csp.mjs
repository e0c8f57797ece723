// Content-Security-Policy: the page, its iframe mode and the embedding demo run under the
// policy a strict host sends (no inline script, no eval; compiling WebAssembly allowed),
// drawn and running, with no violation reported.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDir } from '../static-server.mjs';
import { assert, leaderOf, nodeStates, simTimeUs, test, until, WALL_TIMEOUT_MS } from '../lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const distDir = path.resolve(process.env.DIST_DIR ?? path.join(here, '../../../dist'));

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'";

/**
 * A page that records, in every frame, each `securitypolicyviolation` event (the browser
 * fires one for anything the policy blocks) and, from outside, console and page errors.
 */
async function recordingPage(context) {
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener(
      'securitypolicyviolation',
      (e) => window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber} ${e.sample}`),
      true,
    );
  });
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  const violations = async () => {
    const all = [];
    for (const frame of page.frames()) all.push(...(await frame.evaluate(() => window.__cspViolations ?? []).catch(() => [])));
    return all;
  };
  /** Runs `body`, closes the page, and asserts that nothing failed, was blocked or went wrong. */
  const checked = async (body) => {
    let failure;
    try {
      await body();
    } catch (err) {
      failure = err;
    }
    const seen = await violations();
    await page.close();
    const report = [
      ...(failure ? [failure.message] : []),
      ...(seen.length > 0 ? [`CSP violations:\n${seen.join('\n')}`] : []),
      ...problems,
    ];
    assert(report.length === 0, report.join('\n'));
  };
  return { page, problems, violations, checked };
}

/** The frame's sim time and nodes in `scope` (a page, frame or locator). */
const clusterOf = async (scope) => ({
  us: Number(await scope.locator('[data-testid=sim-time]').getAttribute('data-us')),
  nodes: await scope.locator('[data-testid=node]').evaluateAll((ns) => ns.map((n) => ({ ...n.dataset }))),
});

export default async function csp(context) {
  const server = await serveDir(distDir, '/csp/', { headers: { 'content-security-policy': CSP } });
  try {
    await test('CSP: the built files have no inline script, no on* attribute and no eval', async () => {
      const files = readdirSync(distDir).filter((f) => /\.(html|js)$/.test(f));
      for (const file of files) {
        const text = readFileSync(path.join(distDir, file), 'utf8');
        if (file.endsWith('.html')) {
          const inline = [...text.matchAll(/<script\b([^>]*)>/gi)].filter((m) => !/\bsrc\s*=/.test(m[1]));
          assert(inline.length === 0, `${file} has an inline script: ${inline.map((m) => m[0]).join(' ')}`);
          const handlers = text.match(/<[^>]*\son[a-z]+\s*=/gi) ?? [];
          assert(handlers.length === 0, `${file} has inline event handlers: ${handlers.join(' ')}`);
        } else {
          const evals = text.match(/\beval\s*\(|new\s+Function\s*\(/g) ?? [];
          assert(evals.length === 0, `${file} evaluates strings (${evals.join(', ')}), which script-src forbids`);
        }
      }
      assert(files.includes('boot.js'), 'no boot.js beside index.html');
    });

    await test('CSP: the policy is sent and blocks an inline script (the check can fail)', async () => {
      const { page, violations } = await recordingPage(context);
      const url = `${server.url}probe.html`;
      await page.route(url, (r) =>
        r.fulfill({ contentType: 'text/html', headers: { 'content-security-policy': CSP }, body: '<script>window.ran = true</script>' }),
      );
      await page.goto(url, { waitUntil: 'load', timeout: WALL_TIMEOUT_MS });
      assert((await page.evaluate(() => window.ran)) === undefined, 'the inline script ran under the policy');
      const seen = await until(page, 'a violation report', async () => ((await violations()).length > 0 ? violations() : undefined));
      assert(seen.some((v) => v.startsWith('script-src')), `unexpected report: ${seen.join('\n')}`);
      const res = await page.request.get(server.url);
      assert(res.headers()['content-security-policy'] === CSP, `the server sends ${res.headers()['content-security-policy']}`);
      await page.close();
    });

    await test('CSP: the page draws a cluster that runs and elects a leader, with no violation', async () => {
      const { page, checked } = await recordingPage(context);
      await checked(async () => {
        await page.goto(`${server.url}?seed=7&speed=1`, { waitUntil: 'load', timeout: WALL_TIMEOUT_MS });
        await page.waitForSelector('[data-testid=cluster]', { timeout: 20_000 });
        assert((await nodeStates(page)).length === 5, 'no cluster of 5 drawn');
        const t0 = await simTimeUs(page);
        await until(page, 'simulated time to advance', async () => (await simTimeUs(page)) > t0 + 200_000);
        const leader = await until(page, 'a leader', async () => leaderOf(await nodeStates(page)));
        // The page's controls work under the policy too: crash the leader from its menu.
        await page.click(`[data-testid=node][data-node-id="${leader.id}"]`);
        await page.click('[data-testid=server-menu] [data-action=crash]');
        await until(page, `S${leader.id} down`, async () =>
          (await nodeStates(page)).some((n) => n.id === leader.id && n.alive === 'false'));
        await until(page, 'a new leader', async () => {
          const next = leaderOf(await nodeStates(page));
          return next && next.id !== leader.id;
        });
      });
    });

    await test('CSP: the embedding demo (two elements and an iframe) runs with no violation', async () => {
      const { page, checked } = await recordingPage(context);
      await checked(async () => {
        await page.setViewportSize({ width: 900, height: 1400 });
        await page.goto(`${server.url}embed-demo.html`, { waitUntil: 'load', timeout: WALL_TIMEOUT_MS });
        const fig8 = page.locator('raft-playground#fig8');
        const zh = page.locator('raft-playground#zh');
        await until(page, 'both elements drawn', async () =>
          (await fig8.locator('[data-testid=node]').count()) > 0 && (await zh.locator('[data-testid=node]').count()) === 3);
        // The autoplaying one runs and elects a leader; the demo's own script (a file) logs it.
        await until(page, 'the zh element to elect a leader', async () => leaderOf((await clusterOf(zh)).nodes));
        await until(page, "the demo's log to show the leader", async () =>
          (await page.textContent('#log')).includes('zh: raft-leader'));
        // The iframe (index.html?embed=1, same origin) loads under the same policy; the demo's
        // Play button commands it.
        const frame = page.frameLocator('#frame');
        await until(page, 'the iframe drawn', async () => (await frame.locator('[data-testid=node]').count()) === 5);
        const before = (await clusterOf(frame)).us;
        await page.click('#play');
        // (It plays at the page's default 1/100 of real time: 20 ms is 2 s.)
        await until(page, 'the iframe to play', async () => (await clusterOf(frame)).us > before + 20_000);
      });
    });
  } finally {
    await server.close();
  }
}
