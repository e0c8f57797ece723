// Browser tests for the built page: serves dist/ locally and drives headless Chromium.
// Run with `cargo xtask test` (which builds dist/ first), or `node browser.mjs` after `cargo xtask dist`.
// The core tests are below; each file in suites/ adds more (its default export takes the
// browser context and the page's URL). `ONLY=text` runs just the tests whose name has it.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveDir } from './static-server.mjs';
import { showTabOf } from './tabs.mjs';
import {
  artifacts, assert, CHROMIUM_ARGS, clickSvg, LEADER_WITHIN_SIM_US, leaderOf, nodeStates, open, pause,
  playState, results, simTimeUs, test, until, WALL_TIMEOUT_MS,
} from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const distDir = path.resolve(process.env.DIST_DIR ?? path.join(here, '../../dist'));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

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
      args: CHROMIUM_ARGS,
    });
    await runTests(context, server.url);
    const suites = path.join(here, 'suites');
    for (const file of existsSync(suites) ? readdirSync(suites).sort() : []) {
      if (!file.endsWith('.mjs')) continue;
      const suite = await import(path.join(suites, file));
      await suite.default(context, server.url);
    }
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
  const { page, problems } = await open(context, baseUrl, '?seed=7&speed=1');

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

  await test('simulated time advances, and sim-time shows milliseconds', async () => {
    const first = await simTimeUs(page);
    await page.waitForFunction(
      (t) => Number(document.querySelector('[data-testid=sim-time]')?.dataset.us) > t,
      first,
      { timeout: 10_000 },
    );
    const text = (await page.textContent('[data-testid=sim-time]')).trim();
    assert(/^\d+$/.test(text), `sim-time text is not a number of ms: "${text}"`);
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

  await test('DOM contract: controls, messages, log entries and next_index markers', async () => {
    for (const id of ['play-pause', 'step', 'speed', 'scrubber', 'reset', 'cluster-size', 'sim-time']) {
      assert((await page.$(`[data-testid=${id}]`)) !== null, `no [data-testid=${id}]`);
    }
    const msg = await until(page, 'a message in flight', () =>
      page.$$eval('[data-testid=message]', (ms) => ms.map((m) => ({ ...m.dataset })).find((m) => m.msgId)),
    );
    for (const key of ['msgId', 'type', 'from', 'to']) assert(msg[key], `message lacks data-${key}: ${JSON.stringify(msg)}`);
    const entry = await until(page, 'a log entry', () =>
      page.$$eval('[data-testid=log-entry]', (es) => es.map((e) => ({ ...e.dataset }))[0]),
    );
    for (const key of ['nodeId', 'index', 'term', 'committed']) assert(entry[key], `log entry lacks data-${key}`);
    const marker = await until(page, 'a next-index marker', () =>
      page.$$eval('[data-testid=next-index]', (es) => es.map((e) => ({ ...e.dataset }))[0]),
    );
    for (const key of ['leaderId', 'nodeId', 'index']) assert(marker[key], `next-index lacks data-${key}`);
    assert((await page.$('[data-testid=violation]')) === null, 'a violation is shown on a healthy run');
  });

  await test('a client request from the server menu is replicated and committed', async () => {
    const leader = leaderOf(await nodeStates(page));
    assert(leader, 'no leader');
    await page.click(`[data-testid=node][data-node-id="${leader.id}"]`);
    await page.waitForSelector(`[data-testid=inspector][data-node-id="${leader.id}"]`, { timeout: 10_000 });
    const before = Number(leader.commit);
    await page.click('[data-action=request]');
    await until(page, 'the command to commit on every server', async () => {
      const nodes = await nodeStates(page);
      return nodes.every((n) => Number(n.commit) > before);
    });
    const labels = await page.$$eval('[data-testid=log-entry]', (es) => es.map((e) => e.title));
    assert(labels.some((t) => t.includes('cmd')), 'no command entry in the logs view');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(artifacts, 'desktop.png'), fullPage: true });
    await page.setViewportSize({ width: 900, height: 700 });
  });

  await test('crash the leader: a new leader with a higher term', async () => {
    const old = leaderOf(await nodeStates(page));
    assert(old, 'no leader to crash');
    await page.click(`[data-testid=node][data-node-id="${old.id}"]`);
    await page.click('[data-action=crash]');
    await until(page, `S${old.id} to be down`, async () =>
      (await nodeStates(page)).some((n) => n.id === old.id && n.alive === 'false'),
    );
    const next = await until(page, 'a new leader with a higher term', async () => {
      const l = leaderOf(await nodeStates(page));
      return l && l.id !== old.id && Number(l.term) > Number(old.term) ? l : undefined;
    });
    await page.screenshot({ path: path.join(artifacts, 'leader-crashed.png') });
    await page.click(`[data-testid=node][data-node-id="${old.id}"]`);
    await page.click('[data-action=restart]');
    await until(page, `S${old.id} back up`, async () =>
      (await nodeStates(page)).some((n) => n.id === old.id && n.alive === 'true'),
    );
    assert(Number(next.term) > Number(old.term), 'term did not grow');
  });

  await test('pause, step and play', async () => {
    await pause(page);
    const t0 = await simTimeUs(page);
    await page.waitForTimeout(400);
    assert((await simTimeUs(page)) === t0, 'time moved while paused');
    // One event per step: the activity says which; a few steps move time on.
    await page.click('[data-testid=step]');
    await until(page, 'the step to be narrated', async () =>
      (await page.textContent('[data-testid=activity]')).includes('Step: '), 10_000);
    for (let i = 0; i < 50 && (await simTimeUs(page)) === t0; i++) await page.click('[data-testid=step]');
    assert((await simTimeUs(page)) > t0, 'time did not move after 50 steps');
    const t1 = await simTimeUs(page);
    await page.click('[data-testid=play-pause]');
    assert((await playState(page)) === 'playing', 'not playing after clicking play');
    await until(page, 'time to move when playing', async () => (await simTimeUs(page)) > t1, 10_000);
  });

  await test('drop a message by clicking it', async () => {
    await pause(page);
    let id;
    for (let i = 0; i < 200 && !id; i++) {
      id = await page.$$eval('[data-testid=message]', (ms) => ms[0]?.dataset.msgId);
      if (!id) await page.click('[data-testid=step]');
    }
    assert(id, 'no message in flight after 200 steps');
    await clickSvg(page, `[data-testid=message][data-msg-id="${id}"]`);
    await until(page, 'the message to disappear', async () =>
      (await page.$(`[data-testid=message][data-msg-id="${id}"]`)) === null,
    );
    assert(
      (await page.$(`[data-testid=dropped-message][data-msg-id="${id}"]`)) !== null,
      'no dropped mark where the message was',
    );
    const activity = await page.textContent('[data-testid=activity]');
    assert(activity.includes('You dropped'), `activity does not say it was dropped: ${activity}`);
    await page.screenshot({ path: path.join(artifacts, 'message-dropped.png') });
    await page.click('[data-testid=play-pause]');
  });

  await test('rewind with the scrubber, then act in the past to fork', async () => {
    await until(page, 'at least 1.5 s of simulated time', async () => (await simTimeUs(page)) > 1_500_000);
    await page.$eval('[data-testid=scrubber]', (el) => {
      el.value = '500';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await until(page, 'time to be 500 ms', async () => (await simTimeUs(page)) === 500_000, 10_000);
    assert((await playState(page)) === 'paused', 'scrubbing should pause');
    assert((await page.$('[data-testid=in-past]')) !== null, 'no hint that acting now forks');
    await page.click('[data-testid=node][data-node-id="2"]');
    await page.click('[data-action=isolate]');
    await until(page, 'the fork', async () => (await page.$('[data-testid=in-past]')) === null, 10_000);
    const max = Number(await page.getAttribute('[data-testid=scrubber]', 'max'));
    assert(max === 500, `scrubber end should be the fork point (500), is ${max}`);
    const activity = await page.textContent('[data-testid=activity]');
    assert(activity.includes('Forked'), `activity does not mention the fork: ${activity}`);
    await page.click('[data-testid=heal]');
  });

  await test('a hidden tab runs no clock and goes on where it was when shown again', async () => {
    if ((await playState(page)) !== 'playing') await page.click('[data-testid=play-pause]');
    const frames = (n) =>
      page.evaluate((n) => new Promise((done) => {
        let k = 0;
        const next = () => (++k >= n ? done() : requestAnimationFrame(next));
        requestAnimationFrame(next);
      }), n);
    const setHidden = (hidden) =>
      page.evaluate((hidden) => {
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await setHidden(true);
    await frames(3);
    const stopped = await simTimeUs(page);
    await frames(30);
    assert((await simTimeUs(page)) === stopped, 'the clock ran in a hidden tab');
    assert((await playState(page)) === 'playing', 'hiding is not a pause: the run must go on when shown');
    await setHidden(false);
    await until(page, 'the clock to go on', async () => (await simTimeUs(page)) > stopped, 10_000);
  });

  await test('cluster size and reset', async () => {
    await page.selectOption('[data-testid=cluster-size]', '9');
    await until(page, '9 servers', async () => (await nodeStates(page)).length === 9, 10_000);
    await page.screenshot({ path: path.join(artifacts, 'nine-servers.png') });
    await page.selectOption('[data-testid=cluster-size]', '1');
    await until(page, '1 server', async () => (await nodeStates(page)).length === 1, 10_000);
    await page.selectOption('[data-testid=cluster-size]', '5');
    await page.click('[data-testid=reset]');
    await until(page, 'time back to 0', async () => (await simTimeUs(page)) < 100_000, 10_000);
    assert((await nodeStates(page)).length === 5, 'reset changed the size');
  });

  await test('the PreVote switch applies from now on: the next election uses pre-votes', async () => {
    // A click, then the page's own redraw must show it on (page.check reads the box at once,
    // before the page has drawn the next frame, and failed once on a loaded machine).
    await (await showTabOf(page, '[data-testid=switch-prevote]')).click();
    await until(page, 'the switch on', () => page.isChecked('[data-testid=switch-prevote]'), 10_000);
    if ((await playState(page)) !== 'playing') await page.click('[data-testid=play-pause]');
    // The first election may be over before the switch lands (a loaded machine): a
    // follower's election timeout, from its menu, starts a pre-vote in any case.
    const leader = await until(page, 'a leader', async () => leaderOf(await nodeStates(page)));
    const follower = (await nodeStates(page)).find((n) => n.id !== leader.id && n.alive === 'true');
    await page.click(`[data-testid=node][data-node-id="${follower.id}"]`);
    await page.waitForSelector(`[data-testid=inspector][data-node-id="${follower.id}"]`, { state: 'attached', timeout: 10_000 });
    await (await showTabOf(page, '[data-testid=server-menu] [data-action=timeout]')).click();
    await until(page, 'a narrated pre-vote', async () =>
      (await page.textContent('[data-testid=activity]')).includes('pre-votes'),
    );
    await until(page, 'a leader', async () => leaderOf(await nodeStates(page)));
    await page.uncheck('[data-testid=switch-prevote]');
    assert(!(await page.isChecked('[data-testid=switch-prevote]')), 'switch did not turn off');
  });

  await test('partition 3/2 with the leader in the minority: the majority moves on, then heal', async () => {
    const { page: p, problems: probs } = await open(context, baseUrl, '?seed=7&speed=1&size=5');
    await p.waitForSelector('[data-testid=partition]', { timeout: WALL_TIMEOUT_MS });
    await until(p, 'a leader', async () => leaderOf(await nodeStates(p)));
    // Paused, so the request below reaches the old leader before the majority elects anew.
    await pause(p);
    const old = leaderOf(await nodeStates(p));
    assert(old, 'no leader after pausing');
    const buddy = (await nodeStates(p)).find((n) => n.id !== old.id).id;
    for (const id of [old.id, buddy]) {
      await p.selectOption(`[data-testid=partition-group][data-node-id="${id}"]`, 'B');
      await until(p, `S${id} in group B`, async () =>
        (await p.getAttribute(`[data-testid=partition-group][data-node-id="${id}"]`, 'data-group')) === 'B',
      );
    }
    assert((await p.$$('[data-testid=partition-group]')).length === 5, 'not one group selector per server');
    await p.click('[data-testid=partition-split]');
    await until(p, 'cut links drawn', async () => (await p.$$('.link.cut')).length === 6);
    // A client request sent to the old leader, which cannot reach a majority.
    await p.click(`[data-testid=node][data-node-id="${old.id}"]`);
    await p.waitForSelector(`[data-testid=inspector][data-node-id="${old.id}"]`, { timeout: 10_000 });
    await p.click('[data-action=request]');
    await p.click('[data-testid=play-pause]');
    await until(p, 'playing', async () => (await playState(p)) === 'playing');
    const fresh = await until(p, 'a new leader with a higher term on the majority side', async () => {
      const nodes = await nodeStates(p);
      return nodes.find(
        (n) => n.role === 'leader' && n.alive === 'true' && n.id !== old.id && n.id !== buddy && Number(n.term) > Number(old.term),
      );
    });
    assert(fresh, 'no new leader');
    const oldCommit = Number((await nodeStates(p)).find((n) => n.id === old.id).commit);
    await until(p, `an uncommitted entry on S${old.id} beyond its commit index`, async () =>
      p.$$eval(
        `[data-testid=log-entry][data-node-id="${old.id}"]`,
        (es, c) => es.some((e) => Number(e.dataset.index) > c && e.dataset.committed === 'false'),
        oldCommit,
      ),
    );
    const t0 = await simTimeUs(p);
    await until(p, 'a simulated second to pass', async () => (await simTimeUs(p)) > t0 + 1_000_000);
    const oldNow = (await nodeStates(p)).find((n) => n.id === old.id);
    assert(Number(oldNow.commit) === oldCommit, `S${old.id} committed in the minority: ${oldCommit} -> ${oldNow.commit}`);
    const stuck = await p.$$eval(
      `[data-testid=log-entry][data-node-id="${old.id}"]`,
      (es, c) => es.filter((e) => Number(e.dataset.index) > c).map((e) => e.dataset.committed),
      oldCommit,
    );
    assert(stuck.length > 0 && stuck.every((c) => c === 'false'), `entries beyond commit: ${stuck}`);
    await p.screenshot({ path: path.join(artifacts, 'partitioned.png') });
    await p.click('[data-testid=heal]');
    await until(p, 'one leader and equal commit indexes after healing', async () => {
      const nodes = await nodeStates(p);
      const leaders = nodes.filter((n) => n.role === 'leader');
      return leaders.length === 1 && nodes.every((n) => n.commit === nodes[0].commit) && Number(nodes[0].commit) > oldCommit;
    });
    assert((await p.$$('.link.cut')).length === 0, 'links still cut after healing');
    assert(probs.length === 0, probs.join('\n'));
    await p.close();
  });

  await test('the partition editor works from the keyboard', async () => {
    const { page: p, problems: probs } = await open(context, baseUrl, '?seed=7&paused');
    const sel = '[data-testid=partition-group][data-node-id="3"]';
    await p.waitForSelector(sel, { timeout: WALL_TIMEOUT_MS });
    await p.focus(sel);
    await p.keyboard.press('ArrowDown');
    await until(p, 'S3 in group B', async () => (await p.getAttribute(sel, 'data-group')) === 'B');
    await p.focus('[data-testid=partition-split]');
    await p.keyboard.press('Enter');
    await until(p, 'cut links after splitting from the keyboard', async () => (await p.$$('.link.cut')).length === 4);
    await p.focus('[data-testid=heal]');
    await p.keyboard.press('Enter');
    await until(p, 'links whole again', async () => (await p.$$('.link.cut')).length === 0);
    assert(probs.length === 0, probs.join('\n'));
    await p.close();
  });

  await test('network sliders: high loss is applied and the cluster keeps running', async () => {
    const { page: p, problems: probs } = await open(context, baseUrl, '?seed=7&speed=1');
    await p.waitForSelector('[data-testid=loss]', { timeout: WALL_TIMEOUT_MS });
    const setRange = (id, value) =>
      p.$eval(
        `[data-testid=${id}]`,
        (el, v) => {
          el.value = String(v);
          el.dispatchEvent(new Event('input', { bubbles: true }));
          el.dispatchEvent(new Event('change', { bubbles: true }));
        },
        value,
      );
    await setRange('loss', 60);
    await until(p, 'the loss setting in the DOM', async () =>
      (await p.textContent('[data-testid=activity]')).includes('loss 60%'),
    );
    assert((await p.inputValue('[data-testid=loss]')) === '60', 'loss slider did not keep its value');
    await setRange('duplication', 20);
    await setRange('latency', 40);
    await until(p, 'all three settings narrated', async () =>
      (await p.textContent('[data-testid=activity]')).includes('latency 20\u201340 ms, loss 60%, duplication 20%'),
    );
    for (const [id, v] of [['loss', '60'], ['duplication', '20'], ['latency', '40']]) {
      assert((await p.inputValue(`[data-testid=${id}]`)) === v, `${id} is not ${v}`);
    }
    const t0 = await simTimeUs(p);
    await until(p, 'the cluster to keep running', async () => (await simTimeUs(p)) > t0 + 500_000);
    await until(p, 'messages still in flight', async () => (await p.$$('[data-testid=message]')).length > 0);
    assert((await p.$('[data-testid=violation]')) === null, 'a violation under loss');
    assert(probs.length === 0, probs.join('\n'));
    await p.close();
  });

  await test('no console errors and no failed requests', async () => {
    assert(problems.length === 0, problems.join('\n'));
  });
  await page.close();

  await test('the backtracking example shows next_index stepping back', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=1&example=backtracking&paused');
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    const seen = [];
    let rejectedSeen = false;
    let repaired = false;
    for (let i = 0; i < 600 && !repaired; i++) {
      await page.click('[data-testid=step]');
      const state = await page.evaluate(() => ({
        next: document.querySelector('[data-testid=next-index][data-leader-id="1"][data-node-id="2"]')?.dataset.index,
        rejected: document.querySelector('[data-testid=rejected-slot][data-node-id="2"]')?.dataset.index,
        s2: [...document.querySelectorAll('[data-testid=log-entry][data-node-id="2"]')].map((e) => e.dataset.term),
      }));
      if (state.next !== undefined && seen[seen.length - 1] !== Number(state.next)) seen.push(Number(state.next));
      if (state.rejected !== undefined && !rejectedSeen) {
        rejectedSeen = true;
        await page.screenshot({ path: path.join(artifacts, 'backtracking.png'), fullPage: true });
      }
      repaired = state.s2.join(',').startsWith('1,3,3');
    }
    assert(rejectedSeen, 'S2 never showed a rejected slot');
    assert(repaired, `S2's log was not repaired; next_index went ${seen.join(' -> ')}`);
    const steppedBack = seen.some((v, i) => i > 0 && v === seen[i - 1] - 1);
    assert(steppedBack && seen.includes(2), `next_index did not step back to 2: ${seen.join(' -> ')}`);
    await page.screenshot({ path: path.join(artifacts, 'backtracking-repaired.png'), fullPage: true });
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('keyboard only: Tab, Space, ".", "?", digits and menu keys', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=3&speed=1');
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert(outline !== 'none', 'the focused element has no visible outline');
    await page.keyboard.press(' ');
    await until(page, 'Space to pause', async () => (await playState(page)) === 'paused', 10_000);
    const t0 = await simTimeUs(page);
    for (let i = 0; i < 50 && (await simTimeUs(page)) === t0; i++) await page.keyboard.press('.');
    assert((await simTimeUs(page)) > t0, '"." did not step');
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid=help]', { timeout: 10_000 });
    await page.screenshot({ path: path.join(artifacts, 'help.png') });
    await page.keyboard.press('Escape');
    await until(page, 'help to close', async () => (await page.$('[data-testid=help]')) === null, 10_000);
    await page.keyboard.press('2');
    await page.waitForSelector('[data-testid=inspector][data-node-id="2"]', { timeout: 10_000 });
    await page.keyboard.press('c');
    await until(page, '"c" to crash S2', async () =>
      (await nodeStates(page)).some((n) => n.id === '2' && n.alive === 'false'),
    );
    await page.keyboard.press('r');
    await until(page, '"r" to restart S2', async () =>
      (await nodeStates(page)).some((n) => n.id === '2' && n.alive === 'true'),
    );
    await page.keyboard.press(' ');
    await until(page, 'Space to play', async () => (await playState(page)) === 'playing', 10_000);
    const narration = await page.textContent('[data-testid=narration]');
    assert(narration.length > 0, 'the live region says nothing');
    assert((await page.getAttribute('[data-testid=narration]', 'aria-live')) === 'polite', 'no aria-live');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('reduced motion: messages wait mid-link instead of moving', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&speed=0.05', { reducedMotion: 'reduce' });
    await page.waitForSelector('[data-testid=playground][data-reduced-motion="true"]', { timeout: 10_000 });
    const positions = () =>
      page.$$eval('[data-testid=message] .hit', (hs) =>
        Object.fromEntries(hs.map((h) => [h.parentElement.dataset.msgId, `${h.getAttribute('cx')},${h.getAttribute('cy')}`])),
      );
    let compared = 0;
    const deadline = Date.now() + WALL_TIMEOUT_MS;
    while (compared < 3 && Date.now() < deadline) {
      const a = await positions();
      await page.waitForTimeout(60);
      const b = await positions();
      for (const id of Object.keys(a)) {
        if (b[id] === undefined) continue;
        assert(a[id] === b[id], `message ${id} moved from ${a[id]} to ${b[id]}`);
        compared++;
      }
    }
    assert(compared > 0, 'no message seen twice');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('a 360 px wide viewport: no sideways scrolling, everything reachable', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&speed=1', { viewport: { width: 360, height: 760 } });
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    await until(page, 'a leader', async () => leaderOf(await nodeStates(page)));
    const widths = await page.evaluate(() => ({
      doc: document.documentElement.scrollWidth,
      ring: document.querySelector('[data-testid=cluster]').getBoundingClientRect().width,
    }));
    assert(widths.doc <= 360, `page is ${widths.doc} px wide`);
    assert(widths.ring > 250 && widths.ring <= 360, `ring is ${widths.ring} px wide`);
    for (const id of ['play-pause', 'step', 'scrubber', 'cluster-size', 'kv-send', 'spacetime', 'logs']) {
      assert(await page.isVisible(`[data-testid=${id}]`), `${id} not visible`);
    }
    // Zooming is never blocked.
    const viewportMeta = await page.getAttribute('meta[name=viewport]', 'content');
    assert(!/user-scalable\s*=\s*(no|0)|maximum-scale/.test(viewportMeta), `the viewport blocks zooming: ${viewportMeta}`);
    await page.screenshot({ path: path.join(artifacts, 'mobile-360.png'), fullPage: true });
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('a bad ?seed shows a banner and a fresh run that works', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=banana');
    const banner = await page.waitForSelector('[data-testid=banner][data-kind=error]', { timeout: 10_000 });
    assert((await banner.textContent()).includes('banana'), 'the banner does not quote the bad value');
    assert((await nodeStates(page)).length === 5, 'cluster not drawn');
    await page.waitForFunction(
      () => Number(document.querySelector('[data-testid=sim-time]')?.dataset.us) > 0,
      null,
      { timeout: 10_000 },
    );
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('a panic shows an error box with a link that reproduces it', async () => {
    const { page } = await open(context, baseUrl, '?seed=9&crash');
    const box = await page.waitForSelector('[data-testid=panic]', { timeout: 10_000 });
    const text = await box.textContent();
    assert(text.includes('deliberate crash'), `panic message missing: ${text}`);
    assert(/[?&]seed=9(&|$|\s)/.test(text) && text.includes('v=1'), `reproduction link missing: ${text}`);
    await page.screenshot({ path: path.join(artifacts, 'panic.png') });
    await page.close();
  });
}

await main();
