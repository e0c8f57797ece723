// The page never dies (issue #11): each bad input of the README's table gives its
// message (a banner) or a clamped value, and the page stays usable: a cluster is
// drawn, Step moves the run, and played it elects a leader. A panic that still
// happens shows the crash box with a link that reproduces the run.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  assert, leaderOf, nodeStates, open, pause, simTimeUs, stepUntil, test, until, WALL_TIMEOUT_MS,
} from '../lib.mjs';

/** A valid link with actions made on the page: S2 crashes, client 1 puts x=1 (bad_input.rs checks it). */
const ACTIONS = 'c3rsw.4f.2.w0.0.1.x.1';
const GOOD_LINK = `v=1&seed=7&size=5&t=384000.386&paused&a=${ACTIONS}`;

/** The banner, once shown: its kind and text. */
async function banner(page) {
  const el = await page.waitForSelector('[data-testid=banner]', { timeout: WALL_TIMEOUT_MS });
  return { kind: await el.getAttribute('data-kind'), text: await el.textContent() };
}

async function expectBanner(page, kind, ...needles) {
  const b = await banner(page);
  assert(b.kind === kind, `a ${b.kind} banner, not ${kind}: ${b.text}`);
  for (const n of needles) assert(b.text.includes(n), `the banner does not say ${n}: ${b.text}`);
  return b;
}

/** The page works: `servers` servers drawn, Step moves the run, and played it elects a leader. */
async function usable(page, servers) {
  await until(page, `${servers} servers drawn`, async () => (await nodeStates(page)).length === servers);
  await pause(page);
  const t0 = await simTimeUs(page);
  const steps = await stepUntil(
    page,
    (t) => Number(document.querySelector('[data-testid=sim-time]').dataset.us) > t,
    t0,
    2_000,
  );
  assert(steps >= 0, 'Step does not move the run');
  await page.click('[data-testid=play-pause]');
  await until(page, 'a leader', async () => leaderOf(await nodeStates(page)));
}

function noProblems(problems) {
  assert(problems.length === 0, problems.join('\n'));
}

/** Opens `query` (played at full speed), checks its banner and that the page works. */
async function opens(context, baseUrl, query, kind, needles, servers) {
  const { page, problems } = await open(context, baseUrl, `?speed=1&${query}`);
  await expectBanner(page, kind, ...needles);
  await usable(page, servers);
  noProblems(problems);
  await page.close();
}

/** Loads `text` as a scenario file through the import control: the error banner, the run goes on. */
async function refusesFile(context, baseUrl, name, text, needles) {
  const { page, problems } = await open(context, baseUrl, '?seed=2&size=3&speed=1');
  await until(page, 'a leader', async () => leaderOf(await nodeStates(page)));
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'raft-bad-input-')), name);
  writeFileSync(file, text);
  await page.setInputFiles('[data-testid=import]', file);
  await expectBanner(page, 'error', ...needles, 'The file was not loaded');
  await usable(page, 3);
  noProblems(problems);
  await page.close();
}

export default async function badInput(context, baseUrl) {
  await test('bad input: a malformed link', async () => {
    await opens(context, baseUrl, 'v=1&seed=x&size=3', 'error', ['This link could not be read', '`seed`'], 5);
  });

  await test('bad input: truncated links', async () => {
    const cuts = [
      [GOOD_LINK.indexOf('.x.1'), '`a`'],
      [GOOD_LINK.indexOf('size=') + 5, '`size`'],
      [GOOD_LINK.indexOf('size=') + 2, '`size`'],
      [3, '`seed`'],
    ];
    for (const [end, param] of cuts) {
      await opens(context, baseUrl, GOOD_LINK.slice(0, end), 'error', ['This link could not be read', param], 5);
    }
  });

  await test('bad input: an unknown link version', async () => {
    await opens(context, baseUrl, 'v=2&seed=1&size=3', 'error', ['`v`', 'newer version of the page'], 5);
  });

  await test('bad input: a cluster of 0 or 1000 servers', async () => {
    for (const size of [0, 1000]) {
      await opens(context, baseUrl, `v=1&seed=1&size=${size}`, 'error', [`${size} servers: the page runs 1 to 9`], 5);
    }
    // An old link (no v) is clamped, with a note.
    await opens(context, baseUrl, 'seed=1&size=1000', 'info',
      ['the link asks for 1000 servers and the page runs 1 to 9, so it shows 9'], 9);
    await opens(context, baseUrl, 'seed=1&size=0', 'info', ['so it shows 1'], 1);
  });

  await test('bad input: a negative latency in a scenario file', async () => {
    await refusesFile(context, baseUrl, 'slow.json', '{"nodes": 3, "network": {"latency_min_ms": -5, "latency_max_ms": 10}}',
      ['slow.json', '`network.latency_min_ms`', 'must be a time between 0 and 10000 ms']);
  });

  await test('bad input: a huge latency in a link and in a scenario file', async () => {
    // set_network with latency_max_us = 10^9 (base 36 gjdgxs), 1 ms into the run.
    await opens(context, baseUrl, 'v=1&seed=3&size=3&t=2000&a=Nrs.0..gjdgxs....', 'error',
      ["This link's run could not be started", 'action 1: network latency_max_us: must be at most 10000000 µs'], 5);
    await refusesFile(context, baseUrl, 'far.json', '{"nodes": 3, "network": {"latency_min_ms": 1, "latency_max_ms": 1e300}}',
      ['`network.latency_max_ms`', 'must be a time between 0 and 10000 ms']);
  });

  await test('bad input: a loss above 100 %', async () => {
    // set_network with loss_pct = 150 (base 36 46).
    await opens(context, baseUrl, 'v=1&seed=3&size=3&t=2000&a=Nrs.0...46...', 'error',
      ['action 1: network loss_pct: must be between 0 and 100 %, not 150'], 5);
    await refusesFile(context, baseUrl, 'lossy.json', '{"nodes": 3, "network": {"loss": 1.5}}', ['network.loss']);
  });

  await test('bad input: an unknown language', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=3&size=3&speed=1&lang=xx');
    await expectBanner(page, 'info', 'the page does not know `lang=xx`, so it ignored it');
    const lang = await page.getAttribute('[data-testid=playground]', 'lang');
    assert(lang === 'en', `the page speaks ${lang}, not English (the browser's language)`);
    await usable(page, 3);
    noProblems(problems);
    await page.close();
  });

  await test('bad input: a scenario file with wrong types', async () => {
    await refusesFile(context, baseUrl, 'types.json', '{\n  "nodes": "three"\n}\n', ['types.json:2']);
  });

  await test('bad input: a scenario file with unknown fields', async () => {
    await refusesFile(context, baseUrl, 'fields.json', '{\n  "nodes": 3,\n  "colour": "red"\n}\n', ['fields.json:3', 'colour']);
  });

  await test('bad input: a scenario file with 1000 servers', async () => {
    await refusesFile(context, baseUrl, 'big.json', '{"nodes": 1000}', ['big.json: 1000 servers, more than the 9 the page draws']);
  });

  await test('bad input: a link whose moment is days away', async () => {
    await opens(context, baseUrl, 'v=1&seed=1&size=3&t=18446744073709551615', 'error',
      ['the furthest the page replays'], 5);
  });

  await test('bad input: a foreign postMessage is ignored, a bad command from the host says why', async () => {
    const page = await context.newPage();
    const problems = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    const origin = new URL(baseUrl).origin;
    // The playground in an iframe, and a sibling iframe (same origin, not its parent).
    const html = `<!doctype html><html><head><meta charset="utf-8"><title>host</title></head><body>
      <iframe id="f" style="width:480px;height:320px" src="${baseUrl}index.html?embed=1&seed=5&size=3&speed=1"></iframe>
      <iframe id="other" srcdoc="<p>other</p>"></iframe></body></html>`;
    await page.route(`${origin}/host/bad.html`, (r) => r.fulfill({ contentType: 'text/html', body: html }));
    await page.goto(`${origin}/host/bad.html`, { waitUntil: 'load', timeout: WALL_TIMEOUT_MS });
    const frame = page.frameLocator('#f');
    await until(page, 'the iframe drawn', async () => (await frame.locator('[data-testid=node]').count()) === 3);
    await until(page, 'the iframe playing', async () =>
      (await frame.locator('[data-testid=play-pause]').getAttribute('data-state')) === 'playing');
    // Not from the parent (a sibling frame), or not the documented shape: ignored.
    await page.evaluate(() => {
      const target = document.querySelector('#f').contentWindow;
      document.querySelector('#other').contentWindow.eval(
        'parent.frames[0].postMessage({target: "raft-playground", type: "pause"}, "*")');
      for (const data of [{ type: 'pause' }, { target: 'raft-playground', type: 'eval' }, 'pause', null, 42,
        { target: 'raft-playground', type: 'load', scenario: 'tour', link: '?v=1' }]) {
        target.postMessage(data, '*');
      }
      // The right shape from the parent, with a link that cannot be read.
      target.postMessage({ target: 'raft-playground', type: 'load', link: '?v=1&seed=z&size=3' }, '*');
    });
    const b = frame.locator('[data-testid=banner]');
    await until(page, 'the bad link said', async () => (await b.count()) === 1);
    const text = await b.textContent();
    assert((await b.getAttribute('data-kind')) === 'error' && text.includes('`seed`'), text);
    assert((await frame.locator('[data-testid=play-pause]').getAttribute('data-state')) === 'playing',
      'a message not from the parent, or of another shape, paused the playground');
    assert((await frame.locator('[data-testid=node]').count()) === 3, 'the run was replaced');
    const t0 = Number(await frame.locator('[data-testid=sim-time]').getAttribute('data-us'));
    await until(page, 'the run to go on', async () =>
      Number(await frame.locator('[data-testid=sim-time]').getAttribute('data-us')) > t0);
    noProblems(problems);
    await page.close();
  });

  await test('bad input: a panic shows the crash box with a link that reproduces the run, without crash', async () => {
    const { page, problems } = await open(context, baseUrl, `?${GOOD_LINK}&crash`);
    const box = await page.waitForSelector('[data-testid=panic]', { timeout: WALL_TIMEOUT_MS });
    const text = await box.textContent();
    assert(text.includes('deliberate crash'), `panic message missing: ${text}`);
    const link = text.match(/https?:\/\/\S+/)?.[0]?.replace(/[.,)]+$/, '');
    assert(link, `no link in the crash box: ${text}`);
    const query = new URL(link).searchParams;
    assert(query.get('seed') === '7', `not the same seed: ${link}`);
    assert(query.get('a') === ACTIONS, `not the same actions: ${link}`);
    assert(!query.has('crash'), `the link crashes again: ${link}`);
    // What the crashed page drew, the link draws again.
    const before = await nodeStates(page);
    const unexpected = problems.filter((p) => !/deliberate crash|unreachable|RuntimeError|panicked/.test(p));
    assert(unexpected.length === 0, unexpected.join('\n'));
    await page.close();
    const again = await open(context, baseUrl, link.slice(link.indexOf('?')));
    await until(again.page, 'the run drawn', async () => (await nodeStates(again.page)).length === 5);
    const after = await nodeStates(again.page);
    assert(JSON.stringify(after) === JSON.stringify(before),
      `the link shows another run:\n${JSON.stringify(before)}\n${JSON.stringify(after)}`);
    assert(after.find((n) => n.id === '2').alive === 'false', 'S2 is not crashed');
    assert((await again.page.$('[data-testid=panic]')) === null, 'the link crashed again');
    noProblems(again.problems);
    await again.page.close();
  });
}
