// A run is a value: share links reproduce what you see, the scenario library,
// import and export, malformed links, and settings that apply from now on.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  artifacts, assert, clickSvg, leaderOf, nodeStates, open, pause, playState, simTimeUs, test, until,
  WALL_TIMEOUT_MS,
} from '../lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../../..');

/** Everything a link must reproduce: every node's, message's and log entry's data-* and the time. */
async function picture(page) {
  return page.evaluate(() => {
    const attrs = (sel) =>
      [...document.querySelectorAll(sel)].map((e) => JSON.stringify(Object.entries(e.dataset).filter(([k]) => k !== 'selected' && k !== 'picked').sort()));
    return {
      time: document.querySelector('[data-testid=sim-time]')?.dataset.us,
      nodes: attrs('[data-testid=node]'),
      messages: attrs('[data-testid=message]').sort(),
      entries: attrs('[data-testid=log-entry]'),
    };
  });
}

async function setRange(page, id, value) {
  await page.$eval(
    `[data-testid=${id}]`,
    (el, v) => {
      el.value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    },
    value,
  );
}

async function download(page, testid) {
  const [dl] = await Promise.all([page.waitForEvent('download', { timeout: WALL_TIMEOUT_MS }), page.click(`[data-testid=${testid}]`)]);
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'raft-dl-')), dl.suggestedFilename());
  await dl.saveAs(file);
  return file;
}

export default async function run(context, baseUrl) {
  await test('run: act, share, and the link opens the same state in a new page', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=11&speed=1');
    const leader = await until(page, 'a leader', async () => leaderOf(await nodeStates(page)));
    await page.click(`[data-testid=node][data-node-id="${leader.id}"]`);
    await page.click('[data-testid=server-menu] [data-action=crash]');
    await setRange(page, 'loss', 10);
    await page.check('[data-testid=switch-prevote]');
    const t0 = await simTimeUs(page);
    await until(page, 'time to go on', async () => (await simTimeUs(page)) > t0 + 300_000);
    await pause(page);
    await page.click('[data-testid=step]');
    await page.click('[data-testid=share]');
    const link = await (await page.waitForSelector('[data-testid=share-link]', { timeout: 10_000 })).inputValue();
    assert(link.includes('v=1') && link.includes('seed=11'), `odd link: ${link}`);
    assert(link.length <= 2_000, `link is ${link.length} characters`);
    assert((await page.getAttribute('[data-testid=banner]', 'data-kind')) === 'info', 'no info banner after Share');
    // The address bar is current too.
    await until(page, 'the address bar to follow', async () => page.url() === link);
    const before = await picture(page);
    const { page: other, problems: otherProblems } = await open(context, '', link);
    await other.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    assert((await playState(other)) === 'paused', 'the link was paused but opens playing');
    const after = await picture(other);
    assert(after.time === before.time, `time ${after.time} != ${before.time}`);
    for (const k of ['nodes', 'messages', 'entries']) {
      assert(JSON.stringify(after[k]) === JSON.stringify(before[k]), `${k} differ:\n${before[k].join('\n')}\nvs\n${after[k].join('\n')}`);
    }
    assert(await other.isChecked('[data-testid=switch-prevote]'), 'PreVote is off in the opened link');
    assert((await other.inputValue('[data-testid=loss]')) === '10', 'loss is not 10 % in the opened link');
    assert(problems.length === 0 && otherProblems.length === 0, [...problems, ...otherProblems].join('\n'));
    await other.close();
    await page.close();
  });

  await test('run: a plain visit gets a random seed, shown and kept in the address bar', async () => {
    const seeds = [];
    for (let i = 0; i < 2; i++) {
      const { page, problems } = await open(context, baseUrl, '');
      await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
      const shown = (await page.textContent('[data-testid=seed]')).replace(/\D/g, '');
      await until(page, 'the seed in the URL', async () => new URL(page.url()).searchParams.get('seed') === shown);
      seeds.push(shown);
      assert(problems.length === 0, problems.join('\n'));
      await page.close();
    }
    assert(seeds[0] !== seeds[1], `two visits got the same seed ${seeds[0]}`);
  });

  await test('run: a slider moved mid-run keeps the time running', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=3&speed=1');
    await until(page, 'half a second', async () => (await simTimeUs(page)) > 500_000);
    const t0 = await simTimeUs(page);
    await setRange(page, 'latency', 60);
    const t1 = await simTimeUs(page);
    assert(t1 >= t0, `time went back from ${t0} to ${t1}: the run restarted`);
    await until(page, 'time to go on', async () => (await simTimeUs(page)) > t1 + 200_000);
    assert((await page.inputValue('[data-testid=latency]')) === '60', 'the slider did not keep its value');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('run: a number typed key by key into "Snapshot every" while the run plays stays, and logs compact', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=3&speed=1&panel=settings');
    await until(page, 'a leader', async () => leaderOf(await nodeStates(page)) !== undefined);
    const field = '[data-testid=snapshot-threshold]';
    await page.click(field, { clickCount: 3 });
    // A person's pace: frames are drawn between the key presses.
    await page.keyboard.type('12', { delay: 150 });
    assert((await page.inputValue(field)) === '12', `the field shows ${await page.inputValue(field)} while typing`);
    await page.keyboard.press('Tab');
    await until(page, 'the field to keep 12', async () => (await page.inputValue(field)) === '12');
    // Twelve applied entries later, the servers compact: a snapshot slot opens each log.
    const leader = leaderOf(await nodeStates(page));
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press(String(leader.id));
    for (let i = 0; i < 12; i++) await page.keyboard.press('q');
    await until(page, 'a compacted log', async () => (await page.$$('[data-testid=snapshot-slot]')).length > 0);
    // The snapshot's last entry keeps its index and term, marked data-snapshot (DOM contract v7).
    const ends = await page.$$eval('[data-testid=log-entry][data-snapshot=true]', (es) => es.map((e) => ({ ...e.dataset })));
    assert(ends.length > 0, 'no entry marked as the end of a snapshot');
    assert(ends.every((e) => Number(e.term) > 0 && Number(e.index) >= 12), JSON.stringify(ends));
    for (const e of ends) {
      const slots = await page.$$(`[data-testid=log-row][data-node-id="${e.nodeId}"] [data-testid=snapshot-slot]`);
      assert(slots.length > 0, `S${e.nodeId}: a snapshot end without compacted slots`);
    }
    assert((await page.inputValue(field)) === '12', 'the field lost its value');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('run: malformed, truncated and future links show a banner and a working cluster', async () => {
    const good = '?v=1&seed=5&size=3&t=900000&a=';
    for (const q of ['?v=1&seed=x&size=3', '?v=7&seed=1&size=3', '?v=1&seed=1&scenario=nope', '?v=1&seed=1&size=3&a=zz~', good.slice(0, 12), '?v=1&seed=1&size=99', '?v=1&seed=1&file=%%%']) {
      // At real-time speed (a view setting, kept whatever the run's part says) the new
      // cluster elects a leader within a second of wall time, not the 15-45 s of 1/100.
      const { page, problems } = await open(context, baseUrl, `${q}&speed=1`);
      const banner = await page.waitForSelector('[data-testid=banner][data-kind=error]', { timeout: 10_000 }).catch(() => null);
      assert(banner, `${q}: no error banner`);
      await until(page, `${q}: a leader`, async () => leaderOf(await nodeStates(page)));
      assert(problems.length === 0, `${q}: ${problems.join('\n')}`);
      await page.close();
    }
  });

  await test('run: every scenario loads paused with its description and reaches its described end', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=4&speed=1');
    await page.waitForSelector('[data-testid=scenario-select]', { timeout: WALL_TIMEOUT_MS });
    const names = await page.$$eval('[data-testid=scenario-select] option', (os) => os.map((o) => o.value).filter(Boolean));
    for (const required of ['backtracking', 'figure7-repair', 'figure8-safe', 'figure8-commit-previous-term', 'partition-3-2', 'old-leader-returns', 'split-vote', 'snapshot-catch-up', 'joint-consensus', 'tour']) {
      assert(names.includes(required), `the menu has no ${required}: ${names}`);
    }
    for (const name of names) {
      await page.selectOption('[data-testid=scenario-select]', name);
      await until(page, `${name} to load`, async () => (await page.getAttribute('[data-testid=scenario]', 'data-name')) === name);
      assert((await playState(page)) === 'paused', `${name} does not start paused`);
      assert((await page.textContent('[data-testid=scenario]')).length > 40, `${name} has no description`);
      await page.click('[data-testid=play-pause]');
      const state = await until(page, `${name} to reach its end`, async () => {
        const s = await page.getAttribute('[data-testid=scenario-status]', 'data-state');
        return s === 'pending' ? undefined : s;
      }, 120_000);
      assert(state === 'held', `${name}: ${await page.textContent('[data-testid=scenario]')}`);
      if (name === 'figure8-commit-previous-term') {
        assert(await page.isVisible('[data-testid=violation]'), 'Figure 8 with the bug shows no violation');
      }
      await page.screenshot({ path: path.join(artifacts, `scenario-${name}.png`) });
    }
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('run: export scenario and trace; raft-sim run of the scenario gives the same trace', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=21&speed=1&size=3');
    const leader = await until(page, 'a leader', async () => leaderOf(await nodeStates(page)));
    await page.click(`[data-testid=node][data-node-id="${leader.id}"]`);
    await page.click('[data-testid=server-menu] [data-action=request]');
    await setRange(page, 'duplication', 20);
    const t0 = await simTimeUs(page);
    await until(page, 'time to go on', async () => (await simTimeUs(page)) > t0 + 300_000);
    await page.click('[data-testid=server-menu] [data-action=crash]');
    await pause(page);
    await page.click('[data-testid=step]');
    const scenarioFile = await download(page, 'export-scenario');
    const traceFile = await download(page, 'export-trace');
    const svgFile = await download(page, 'export-svg');
    assert(readFileSync(svgFile, 'utf8').startsWith('<svg'), 'the SVG download is not an SVG');
    const cli = path.join(repo, 'target/debug/raft-sim');
    assert(existsSync(cli), `no ${cli}: build it with cargo build -p raft-sim`);
    const out = path.join(path.dirname(scenarioFile), 'cli.jsonl');
    execFileSync(cli, ['run', scenarioFile, '--trace', out], { stdio: 'pipe' });
    const hash = (f) => createHash('sha256').update(readFileSync(f)).digest('hex');
    const lines = readFileSync(traceFile, 'utf8').split('\n').length;
    assert(lines > 100, `the page's trace has only ${lines} lines`);
    assert(hash(out) === hash(traceFile), `raft-sim run gives another trace than the page (${scenarioFile})`);
    // raft-sim check accepts the page's trace.
    execFileSync(cli, ['check', traceFile], { stdio: 'pipe' });
    // The exported file loads back on the page.
    await page.setInputFiles('[data-testid=import]', scenarioFile);
    await until(page, 'the file to load', async () => (await page.textContent('[data-testid=activity]')).includes('Loaded'));
    assert((await page.$('[data-testid=banner][data-kind=error]')) === null, 'loading the exported file failed');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('run: a bad scenario file names the line and field and keeps the run', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=2&speed=1');
    await until(page, 'a leader', async () => leaderOf(await nodeStates(page)));
    const dir = mkdtempSync(path.join(os.tmpdir(), 'raft-bad-'));
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "nodes": 3,\n  "actions": [{"at_ms": 1, "do": "crash", "nod": 1}]\n}\n');
    const t0 = await simTimeUs(page);
    await page.setInputFiles('[data-testid=import]', bad);
    const banner = await page.waitForSelector('[data-testid=banner][data-kind=error]', { timeout: 10_000 });
    const text = await banner.textContent();
    assert(text.includes('bad.json:3') && text.includes('actions[0]'), `the message does not name line and field: ${text}`);
    await until(page, 'the run to go on', async () => (await simTimeUs(page)) > t0 + 100_000);
    assert((await nodeStates(page)).length === 5, 'the run was replaced');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });
}
