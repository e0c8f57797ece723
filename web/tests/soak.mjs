// Soak: an hour of simulated time at the page's top speed (1x, real time) in headless
// Chromium, with faults and client writes chosen by a seeded PRNG and made with the page's
// own controls. Passes if no console or page error happened, no safety violation was shown,
// and memory stayed flat: every simulated minute the JS heap (after a forced GC), the wasm
// heap in use (a counting allocator in web/src/main.rs), the nodes in the document and the
// listeners are sampled, and each one's median over the second half may exceed its median
// over the first half (after a warm-up) by at most 10 %; the wasm memory's size (a
// high-water mark) must stay under WASM_CEILING. SOAK_VERBOSE also prints, each minute,
// which parts of the page gained or lost elements.
//
// Run with `cargo xtask soak` (which builds dist/ first), or `node soak.mjs` after
// `cargo xtask dist`. Environment: DIST_DIR, CHROMIUM, SOAK_SECONDS (simulated, default
// 3600), SOAK_SEED (the PRNG's and the run's seed, default 1), SOAK_WARP (default "on"),
// SOAK_SNAPSHOT_EVERY (Settings' "Snapshot every N entries", set first; default 100, 0: never),
// SOAK_JSON (a file to write the samples and the verdict to, for `cargo xtask bench`),
// SOAK_ACTIONS (only the actions whose name contains one of these comma-separated words,
// e.g. "crash,restart"; "none": no action, the cluster alone), SOAK_VERBOSE (say which
// actions missed their control).
//
// Time warp: the page turns the wall time between two animation frames into simulated time,
// at most 100 ms of it a frame (MAX_FRAME_GAP_MS in web/src/view_model/clock.rs). With
// SOAK_WARP=on the harness replaces requestAnimationFrame so that each frame is stamped
// 100 ms after the last and the next one comes as soon as the page has finished the last
// (a MessageChannel task): the page runs exactly its own code, frame by frame, at 1x, only
// faster than the wall clock, so an hour of simulated time takes minutes. SOAK_WARP=off
// leaves the browser's clock alone: the hour then takes an hour.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveDir } from './static-server.mjs';
import { artifacts, CHROMIUM_ARGS, nodeStates, open, simTimeUs, until, WALL_TIMEOUT_MS } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const distDir = path.resolve(process.env.DIST_DIR ?? path.join(here, '../../dist'));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SIM_SECONDS = Number(process.env.SOAK_SECONDS ?? 3600);
const SEED = Number(process.env.SOAK_SEED ?? 1);
const WARP = (process.env.SOAK_WARP ?? 'on') !== 'off';
/** Simulated time per warped frame: the page's own cap on one frame (clock.rs MAX_FRAME_GAP_MS). */
const WARP_FRAME_MS = 100;
const SAMPLE_EVERY_US = 60_000_000;
/** Samples before this much simulated time are warm-up: caches, the journal and the
 *  checkpoints fill up first (the page keeps 48 checkpoints, one every 250 ms at most). */
const WARM_UP_US = Math.min(300_000_000, (SIM_SECONDS * 1e6) / 6);
const TOLERANCE = 0.1;
/** Entries a server keeps before it compacts its log (Settings, "Snapshot every N entries"). */
const SNAPSHOT_EVERY = process.env.SOAK_SNAPSHOT_EVERY ?? '100';
const ONLY_ACTIONS = process.env.SOAK_ACTIONS?.split(',').filter(Boolean);
/** Servers that may be down at once, out of 5: a majority stays up most of the time. */
const MAX_DOWN = 2;

/** mulberry32: a small seeded PRNG, so a failing soak can be run again with its seed. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(SEED);
const pick = (xs) => xs[Math.floor(random() * xs.length)];
const between = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));

/** In every page: the wasm module's memory (for sampling), and the warped frames if asked. */
function initScript({ warpMs }) {
  for (const name of ['instantiateStreaming', 'instantiate']) {
    const original = WebAssembly[name];
    if (typeof original !== 'function') continue;
    WebAssembly[name] = async function (...args) {
      const result = await original.apply(this, args);
      const instance = result instanceof WebAssembly.Instance ? result : result?.instance;
      if (instance?.exports?.memory instanceof WebAssembly.Memory) {
        window.__soakWasmMemory = instance.exports.memory;
        window.__soakWasmExports = instance.exports;
      }
      return result;
    };
  }
  if (!warpMs) return;
  const waiting = new Map();
  let nextId = 1;
  let now = performance.now();
  let scheduled = false;
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    scheduled = false;
    now += warpMs;
    const due = [...waiting.values()];
    waiting.clear();
    for (const callback of due) {
      try {
        callback(now);
      } catch (err) {
        // As a real frame callback's error would: reported, and the next frames go on.
        setTimeout(() => {
          throw err;
        });
      }
    }
  };
  window.requestAnimationFrame = (callback) => {
    const id = nextId++;
    waiting.set(id, callback);
    if (!scheduled) {
      scheduled = true;
      channel.port2.postMessage(0);
    }
    return id;
  };
  window.cancelAnimationFrame = (id) => {
    waiting.delete(id);
  };
}

const ACT_TIMEOUT = { timeout: 2_000 };

/** Clicks an element of the picture: a real click, or a dispatched one if it is overlapped or moving. */
async function tap(page, selector) {
  try {
    await page.locator(selector).click(ACT_TIMEOUT);
  } catch {
    await page.locator(selector).dispatchEvent('click', undefined, ACT_TIMEOUT);
  }
}
/** Sets a slider (Playwright's fill sets a range input's value, then fires input and change). */
const setRange = (page, id, value) => page.fill(`[data-testid=${id}]`, String(value), ACT_TIMEOUT);

/** Opens server `id`'s menu in the inspector and presses `action` there. */
async function serverAction(page, id, action) {
  await tap(page, `[data-testid=node][data-node-id="${id}"]`);
  await page.waitForSelector(`[data-testid=inspector][data-node-id="${id}"]`, ACT_TIMEOUT);
  await page.click(`[data-testid=server-menu] [data-action=${action}]`, ACT_TIMEOUT);
}

/** The faults and writes, each with a weight and what it does (a name for the tally). */
function actions(page, nodes) {
  const up = nodes.filter((n) => n.alive === 'true').map((n) => n.id);
  const down = nodes.filter((n) => n.alive === 'false').map((n) => n.id);
  const list = [
    [4, 'client request', () => serverAction(page, pick(up), 'request')],
    [
      3,
      'kv put',
      async () => {
        await page.selectOption('[data-testid=kv-op]', 'put', ACT_TIMEOUT);
        await page.fill('[data-testid=kv-key]', `k${between(0, 9)}`, ACT_TIMEOUT);
        await page.fill('[data-testid=kv-value]', String(between(0, 999)), ACT_TIMEOUT);
        await page.click('[data-testid=kv-send]', ACT_TIMEOUT);
      },
    ],
    [2, 'timeout', () => serverAction(page, pick(up), 'timeout')],
    [1, 'snapshot now', () => serverAction(page, pick(up), 'snapshot')],
    [1, 'transfer leadership', () => serverAction(page, pick(up), 'transfer')],
    [1, 'isolate', () => serverAction(page, pick(up), 'isolate')],
    [3, 'heal', () => page.click('[data-testid=heal]', ACT_TIMEOUT)],
    [
      1,
      'split A | B',
      async () => {
        const moved = new Set([pick(nodes).id, pick(nodes).id]);
        for (const id of moved) await page.selectOption(`[data-testid=partition-group][data-node-id="${id}"]`, 'B', ACT_TIMEOUT);
        await page.click('[data-testid=partition-split]', ACT_TIMEOUT);
        for (const id of moved) await page.selectOption(`[data-testid=partition-group][data-node-id="${id}"]`, 'A', ACT_TIMEOUT);
      },
    ],
    [
      2,
      'cut or mend a link',
      async () => {
        const links = await page.$$eval('[data-testid=link]', (ls) => ls.map((l) => `${l.dataset.from}-${l.dataset.to}`));
        const [from, to] = pick(links).split('-');
        await tap(page, `[data-testid=link][data-from="${from}"][data-to="${to}"]`);
      },
    ],
    [
      3,
      'drop a message',
      // Messages move (and at this pace arrive) between two round trips to the page: the
      // pick and the click happen in one go, a click on the message as a person's would be.
      (r = random()) =>
        page.$$eval('[data-testid=message]', (ms, r) => ms[Math.floor(r * ms.length)]?.dispatchEvent(new MouseEvent('click', { bubbles: true })), r),
    ],
    [1, 'loss', () => setRange(page, 'loss', between(0, 30))],
    [1, 'duplication', () => setRange(page, 'duplication', between(0, 20))],
    [1, 'reordering', () => setRange(page, 'reordering', between(0, 30))],
    [1, 'latency', () => setRange(page, 'latency', between(10, 60))],
  ];
  if (down.length < MAX_DOWN) list.push([2, 'crash', () => serverAction(page, pick(up), 'crash')]);
  if (down.length > 0) list.push([4, 'restart', () => serverAction(page, pick(down), 'restart')]);
  return ONLY_ACTIONS ? list.filter(([, name]) => ONLY_ACTIONS.some((w) => name.includes(w))) : list;
}

function choose(list) {
  let r = random() * list.reduce((sum, [w]) => sum + w, 0);
  for (const entry of list) {
    r -= entry[0];
    if (r < 0) return entry;
  }
  return list[list.length - 1]; // undefined when no action is allowed
}

/** One sample: the JS heap after a forced GC, the wasm memory, the DOM's nodes and listeners. */
async function sample(page, cdp, started) {
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const { nodes, jsEventListeners } = await cdp.send('Memory.getDOMCounters');
  const wasm = await page.evaluate(() => window.__soakWasmMemory?.buffer.byteLength ?? 0);
  // The bytes the page's Rust code holds (a counting allocator in web/src/main.rs).
  const wasmLive = await page.evaluate(() => window.__soakWasmExports?.heap_live_bytes?.() ?? 0);
  // Where the DOM's nodes are: the elements under each named part of the page.
  const regions = await page.evaluate(() => {
    const counts = {};
    for (const el of document.querySelectorAll('[data-testid]')) {
      const name = el.dataset.testid;
      counts[name] = (counts[name] ?? 0) + el.getElementsByTagName('*').length + 1;
    }
    // Every node in the document (elements, text, comments): the DOM counter's nodes
    // beyond these are detached nodes still held in memory.
    const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
    let attached = 0;
    while (walker.nextNode()) attached++;
    counts['(attached nodes)'] = attached;
    return counts;
  });
  return {
    simUs: await simTimeUs(page),
    wallS: (Date.now() - started) / 1000,
    jsHeap: usedSize,
    wasm,
    wasmLive,
    domNodes: nodes,
    listeners: jsEventListeners,
    attached: regions['(attached nodes)'],
    detached: nodes - regions['(attached nodes)'],
    regions,
  };
}

const MB = (b) => (b / 1048576).toFixed(2);
/**
 * [key, label, format, judged]. Judged for flatness: what the page holds now. Reported only:
 * the wasm memory's size, a high-water mark that never shrinks (the allocator's peaks and
 * fragmentation; it has its own ceiling, WASM_CEILING), and the DOM counter's total with the
 * detached nodes in it (nodes out of the document that Blink has not freed yet).
 */
const METRICS = [
  ['jsHeap', 'JS heap (MB)', MB, true],
  ['wasmLive', 'wasm in use (MB)', MB, true],
  ['wasm', 'wasm memory (MB)', MB, false],
  ['attached', 'DOM nodes', String, true],
  ['detached', 'detached nodes', String, false],
  ['listeners', 'listeners', String, true],
];
/** The most the wasm memory may reach (issue #12's budget is 64 MB for JS heap and wasm together). */
const WASM_CEILING = 32 * 1048576;

function printSample(s, actionsSoFar) {
  console.log(
    [
      `${(s.simUs / 60e6).toFixed(1).padStart(6)}`,
      `${s.wallS.toFixed(0).padStart(6)}`,
      ...METRICS.map(([key, , fmt]) => fmt(s[key]).padStart(key === 'listeners' ? 9 : 16)),
      String(actionsSoFar).padStart(8),
    ].join(' '),
  );
}

/** With SOAK_VERBOSE: the parts of the page with the most elements more than at `base`. */
function printRegionChange(base, s) {
  const rows = Object.keys(s.regions)
    .map((name) => [name, (s.regions[name] ?? 0) - (base.regions[name] ?? 0)])
    .filter(([, d]) => Math.abs(d) >= 20)
    .sort((x, y) => Math.abs(y[1]) - Math.abs(x[1]))
    .slice(0, 6);
  if (rows.length > 0) console.log(`         elements since minute 1: ${rows.map(([n, d]) => `${n} ${d > 0 ? '+' : ''}${d}`).join(', ')}`);
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/**
 * Memory is flat if no metric's median over the second half exceeds its median over the first
 * half (after the warm-up) by more than TOLERANCE. Medians, not maxima: what the page draws
 * depends on the moment (messages in flight, arrows in the space-time window, a log before or
 * after its compaction), so a sample swings by a quarter either way with nothing leaking (a
 * run with no action at all: DOM nodes 2,597 to 3,952); a leak moves the median with it.
 */
function flatness(samples) {
  const measured = samples.filter((s) => s.simUs >= WARM_UP_US);
  const mid = (WARM_UP_US + SIM_SECONDS * 1e6) / 2;
  const first = measured.filter((s) => s.simUs < mid);
  const second = measured.filter((s) => s.simUs >= mid);
  if (first.length === 0 || second.length === 0) return [`too few samples after the warm-up (${measured.length})`];
  const failures = [];
  for (const [key, label, fmt, judged] of METRICS) {
    const [a, b] = [first, second].map((half) => median(half.map((s) => s[key])));
    const [maxA, maxB] = [first, second].map((half) => Math.max(...half.map((s) => s[key])));
    const growth = a > 0 ? (b - a) / a : 0;
    const verdict = !judged ? '(not judged)' : growth <= TOLERANCE ? 'flat' : 'GROWS';
    console.log(
      `${label.padEnd(18)} median first half ${fmt(a).padStart(9)}, second half ${fmt(b).padStart(9)}: ` +
        `${(growth * 100).toFixed(1).padStart(6)} % ${verdict} (max ${fmt(maxA)} -> ${fmt(maxB)})`,
    );
    if (judged && growth > TOLERANCE) failures.push(`${label} grew ${(growth * 100).toFixed(1)} % (median ${fmt(a)} -> ${fmt(b)})`);
  }
  const wasmMax = Math.max(...samples.map((s) => s.wasm));
  if (wasmMax > WASM_CEILING) failures.push(`the wasm memory reached ${MB(wasmMax)} MB, over its ceiling of ${MB(WASM_CEILING)} MB`);
  return failures;
}

/** The parts of the page whose elements grew most between the halves (medians), to say where a DOM growth is. */
function regionGrowth(samples) {
  const measured = samples.filter((s) => s.simUs >= WARM_UP_US);
  const mid = (WARM_UP_US + SIM_SECONDS * 1e6) / 2;
  const halves = [measured.filter((s) => s.simUs < mid), measured.filter((s) => s.simUs >= mid)];
  if (halves.some((h) => h.length === 0)) return;
  const names = new Set(measured.flatMap((s) => Object.keys(s.regions)));
  const rows = [...names]
    .map((name) => {
      const [a, b] = halves.map((h) => median(h.map((s) => s.regions[name] ?? 0)));
      return [name, a, b];
    })
    .filter(([, a, b]) => b - a >= 20)
    .sort((x, y) => y[2] - y[1] - (x[2] - x[1]))
    .slice(0, 8);
  if (rows.length > 0) console.log(`DOM elements by part (median first half -> second half): ${rows.map(([n, a, b]) => `${n} ${a} -> ${b}`).join(', ')}`);
}

async function main() {
  if (!existsSync(path.join(distDir, 'index.html'))) {
    console.log(`FAIL: no built page at ${distDir}: run \`cargo xtask dist\` first`);
    process.exitCode = 1;
    return;
  }
  const started = Date.now();
  const server = await serveDir(distDir, '/playground/');
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'raft-playground-soak-'));
  const failures = [];
  const samples = [];
  const tally = new Map();
  let harnessMisses = 0;
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: CHROMIUM_ARGS,
    });
    await context.addInitScript(initScript, { warpMs: WARP ? WARP_FRAME_MS : 0 });
    const { page, problems } = await open(context, server.url, `?seed=${SEED}&speed=1`);
    const cdp = await context.newCDPSession(page);
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    // As a person sets it: type the number, leave the field (its change applies it).
    await page.click('[data-testid=panel-tab][data-panel=settings]');
    await page.click('[data-testid=snapshot-threshold]', { clickCount: 3 });
    await page.keyboard.type(SNAPSHOT_EVERY);
    await page.keyboard.press('Tab');
    const threshold = await page.inputValue('[data-testid=snapshot-threshold]');
    if (threshold !== SNAPSHOT_EVERY) throw new Error(`"Snapshot every" shows ${threshold}, not ${SNAPSHOT_EVERY}`);
    await until(page, 'the run to play', async () => (await page.getAttribute('[data-testid=play-pause]', 'data-state')) === 'playing');
    console.log(
      `soak: ${SIM_SECONDS} simulated s at speed 1x, seed ${SEED}, ${WARP ? `time warp (${WARP_FRAME_MS} ms a frame)` : 'real clock'}, ` +
        `snapshot every ${SNAPSHOT_EVERY} entries; warm-up ${(WARM_UP_US / 60e6).toFixed(1)} simulated min; memory may grow ${TOLERANCE * 100} %`,
    );
    console.log(`${'sim min'.padStart(6)} ${'wall s'.padStart(6)} ${METRICS.map(([key, label]) => label.padStart(key === 'listeners' ? 9 : 16)).join(' ')} ${'actions'.padStart(8)}`);
    samples.push(await sample(page, cdp, started));
    printSample(samples[0], 0);

    const endUs = SIM_SECONDS * 1e6;
    let nextSampleUs = SAMPLE_EVERY_US;
    let nextActionUs = 0;
    let actionCount = 0;
    let lastUs = -1;
    let stalledSince = Date.now();
    for (;;) {
      const now = await simTimeUs(page);
      if (now !== lastUs) {
        lastUs = now;
        stalledSince = Date.now();
      } else if (Date.now() - stalledSince > WALL_TIMEOUT_MS) {
        failures.push(`simulated time stopped at ${(now / 1e6).toFixed(3)} s`);
        break;
      }
      if (now >= nextSampleUs) {
        const s = await sample(page, cdp, started);
        samples.push(s);
        printSample(s, actionCount);
        if (process.env.SOAK_VERBOSE) printRegionChange(samples[1] ?? samples[0], s);
        nextSampleUs = (Math.floor(s.simUs / SAMPLE_EVERY_US) + 1) * SAMPLE_EVERY_US;
        if (await page.$('[data-testid=violation]')) {
          failures.push(`a safety violation is shown at ${(s.simUs / 1e6).toFixed(3)} s`);
          break;
        }
      }
      if (now >= endUs) break;
      if (now >= nextActionUs) {
        const [, name, act] = choose(actions(page, await nodeStates(page))) ?? [0, 'nothing', async () => {}];
        try {
          await act();
          tally.set(name, (tally.get(name) ?? 0) + 1);
        } catch (err) {
          // A control that was not there at that moment (a server went down meanwhile, a
          // message arrived before the click): the harness's miss, not the page's error.
          harnessMisses++;
          if (process.env.SOAK_VERBOSE) console.log(`  (missed ${name}: ${String(err?.message ?? err).split('\n')[0]})`);
        }
        if (name !== 'nothing') actionCount++;
        // Random intervals of 0.2 to 10 simulated seconds.
        nextActionUs = (await simTimeUs(page)) + between(200, 10_000) * 1_000;
      } else {
        await page.waitForTimeout(10);
      }
    }
    // The run itself (a run is a value): the address bar's link holds its seed and every
    // action, so `cargo run --release -p raft-web --example heap_soak -- --link FILE`
    // replays exactly this hour natively, with the live heap counted minute by minute.
    mkdirSync(artifacts, { recursive: true });
    const runFile = path.join(artifacts, 'soak-run.txt');
    writeFileSync(runFile, new URL(page.url()).search + '\n');
    console.log(`the run: ${runFile}`);
    failures.push(...problems.slice(0, 20));
    if (problems.length > 20) failures.push(`... and ${problems.length - 20} more problems`);
    console.log(`actions: ${[...tally].map(([k, v]) => `${k} ${v}`).join(', ')}; ${harnessMisses} missed (control not there at that moment)`);
    failures.push(...flatness(samples));
    regionGrowth(samples);
  } catch (err) {
    failures.push(`soak stopped: ${err?.stack ?? err}`);
  } finally {
    await context?.close().catch(() => {});
    await server.close();
    rmSync(userDataDir, { recursive: true, force: true });
  }
  const wall = (Date.now() - started) / 1000;
  const last = samples[samples.length - 1];
  console.log(`simulated ${((last?.simUs ?? 0) / 1e6).toFixed(1)} s in ${wall.toFixed(0)} s of wall time (${((last?.simUs ?? 0) / 1e6 / wall).toFixed(1)}x real time)`);
  if (process.env.SOAK_JSON) {
    // The figures for `cargo xtask bench` (web/tests/bench.mjs): every sample and the verdict.
    const keep = ['simUs', 'wallS', 'jsHeap', 'wasm', 'wasmLive', 'domNodes', 'listeners'];
    const rows = samples.map((s) => Object.fromEntries(keep.map((k) => [k, s[k]])));
    writeFileSync(process.env.SOAK_JSON, JSON.stringify({ simSeconds: SIM_SECONDS, seed: SEED, warmUpUs: WARM_UP_US, wallS: wall, samples: rows, failures }, null, 1) + '\n');
  }
  if (failures.length === 0) {
    console.log('PASS: no console or page error, no violation, memory flat');
  } else {
    console.log(`FAIL:\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  }
}

await main();
