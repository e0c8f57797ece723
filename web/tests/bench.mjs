// The Performance issue's figures, measured in headless Chromium (and the world's speed
// natively beside it), written to bench/figures.json and to BENCHMARKS.md between its
// `<!-- bench:begin -->` and `<!-- bench:end -->` markers. Run by `cargo xtask bench`
// (which builds dist/ and runs the Criterion benches first); `node bench.mjs` after
// `cargo xtask dist` measures the browser figures alone. Figures are reported, never
// asserted: a time is not a test. Environment: DIST_DIR, CHROMIUM, BENCH_ONLY (a comma-
// separated subset of weight,draw,frames,memory,sim), BENCH_FRAMES_S (default 20),
// BENCH_MEMORY_S (simulated seconds, default 600), BENCH_LOADS (cold loads, default 5).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serveDir } from './static-server.mjs';
import { CHROMIUM_ARGS, WALL_TIMEOUT_MS } from './lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const distDir = path.resolve(process.env.DIST_DIR ?? path.join(root, 'dist'));
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const ONLY = (process.env.BENCH_ONLY ?? 'weight,draw,frames,memory,sim').split(',');
const LOADS = Math.max(1, Number(process.env.BENCH_LOADS ?? 5));
const FRAMES_S = Number(process.env.BENCH_FRAMES_S ?? 20);
const MEMORY_S = Number(process.env.BENCH_MEMORY_S ?? 600);
/** soak.mjs's actions for the memory figure (SOAK_ACTIONS: names containing one of these). */
const MEMORY_ACTIONS = 'crash,restart,timeout,snapshot,transfer,isolate,split,heal,cut,drop,client,put';
/** Events per timed call of the world's workload (raft_sim::workload), natively and in wasm. */
const SIM_EVENTS = 200_000;
const SIM_REPS = 5;

/** The issue's budgets. */
const BUDGET = {
  weightKb: 150,
  drawRatio: 1.5,
  frameP95Ms: 8,
  frameMaxMs: 50,
  memoryMb: 64,
  simRatio: 1.5,
};

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const round = (x, digits = 1) => Number(x.toFixed(digits));

/** In every page: when the cluster (or the plain page's five circles) is first drawn, the
 *  wasm module's exports, and, for the frame figures, each animation frame's main-thread time. */
function initScript() {
  const drawn = () =>
    document.querySelectorAll('[data-testid=node]').length >= 3 || document.querySelectorAll('svg.plain circle').length >= 5;
  const watch = new MutationObserver(() => {
    if (window.__drawnAt === undefined && drawn()) {
      window.__drawnAt = null;
      watch.disconnect();
      // The frame that paints them: its animation-frame callback runs before its style,
      // layout and paint; a task posted from there runs after them.
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => {
          window.__drawnAt = performance.now();
        };
        channel.port2.postMessage(0);
      });
    }
  });
  watch.observe(document, { childList: true, subtree: true });
  for (const name of ['instantiateStreaming', 'instantiate']) {
    const original = WebAssembly[name];
    if (typeof original !== 'function') continue;
    WebAssembly[name] = async function (...args) {
      const result = await original.apply(this, args);
      const instance = result instanceof WebAssembly.Instance ? result : result?.instance;
      if (instance?.exports?.memory instanceof WebAssembly.Memory) window.__wasmExports = instance.exports;
      return result;
    };
  }
  // A frame's main-thread time: from its first animation-frame callback until a task posted
  // by its last one runs, which is after the frame's microtasks (Yew renders there), style,
  // layout and paint.
  window.__frames = new Map();
  window.__recording = false;
  const raf = window.requestAnimationFrame.bind(window);
  window.requestAnimationFrame = (callback) =>
    raf((ts) => {
      const start = performance.now();
      callback(ts);
      if (!window.__recording) return;
      const frame = window.__frames.get(ts) ?? { start, end: start };
      frame.start = Math.min(frame.start, start);
      window.__frames.set(ts, frame);
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        frame.end = Math.max(frame.end, performance.now());
      };
      channel.port2.postMessage(0);
    });
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (window.__recording) window.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: false });
  } catch {
    /* no long-task timing in this browser */
  }
}

const PLAIN_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Five circles</title></head>
<body><svg class="plain" width="400" height="400" viewBox="0 0 400 400">${[0, 1, 2, 3, 4]
  .map((i) => {
    const a = (i / 5) * 2 * Math.PI - Math.PI / 2;
    return `<circle cx="${(200 + 150 * Math.cos(a)).toFixed(1)}" cy="${(200 + 150 * Math.sin(a)).toFixed(1)}" r="30" fill="#4a7"/>`;
  })
  .join('')}</svg></body></html>\n`;

/** A cold load (a new browser context: empty cache) of `url`; returns the time to the first
 *  drawn cluster and every response's bytes. */
async function coldLoad(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addInitScript(initScript);
  const page = await context.newPage();
  const bodies = [];
  page.on('response', (res) => bodies.push(res.body().then((b) => [new URL(res.url()).pathname, b]).catch(() => null)));
  await page.goto(url, { waitUntil: 'load', timeout: WALL_TIMEOUT_MS });
  await page.waitForFunction(() => typeof window.__drawnAt === 'number', null, { timeout: WALL_TIMEOUT_MS });
  const drawnMs = await page.evaluate(() => window.__drawnAt);
  await page.waitForLoadState('networkidle');
  const files = (await Promise.all(bodies)).filter(Boolean);
  await context.close();
  return { drawnMs, files };
}

async function weightAndDraw(browser, pageUrl, plainUrl, figures) {
  const page = [];
  const plain = [];
  let files;
  for (let i = 0; i < LOADS; i++) {
    // Interleaved, so both see the same machine.
    const p = await coldLoad(browser, pageUrl);
    page.push(p.drawnMs);
    files ??= p.files;
    plain.push((await coldLoad(browser, plainUrl)).drawnMs);
  }
  if (ONLY.includes('weight')) {
    const seen = new Set();
    const rows = files.filter(([name]) => !seen.has(name) && seen.add(name)).map(([name, body]) => ({
      file: name.endsWith('/') ? 'index.html' : path.basename(name),
      raw: body.length,
      // The same compressor as the page-build stage's ceiling (crates/xtask/src/weight.rs).
      gzipped: execFileSync('gzip', ['-9', '-c'], { input: body, maxBuffer: 1 << 26 }).length,
    }));
    const total = rows.reduce((sum, r) => sum + r.gzipped, 0);
    figures.weight = { files: rows, totalGzippedKb: round(total / 1024), budgetKb: BUDGET.weightKb, met: total / 1024 <= BUDGET.weightKb };
    console.log(`weight: ${rows.map((r) => `${r.file} ${round(r.gzipped / 1024)} KB`).join(', ')}: ${round(total / 1024)} KB gzipped`);
  }
  if (ONLY.includes('draw')) {
    const ratio = median(page) / median(plain);
    figures.firstDraw = {
      loads: LOADS,
      pageMs: { median: round(median(page)), min: round(Math.min(...page)), max: round(Math.max(...page)) },
      plainMs: { median: round(median(plain)), min: round(Math.min(...plain)), max: round(Math.max(...plain)) },
      ratio: round(ratio, 2),
      budgetRatio: BUDGET.drawRatio,
      met: ratio <= BUDGET.drawRatio,
    };
    console.log(`first draw: page ${round(median(page))} ms, five circles ${round(median(plain))} ms (medians of ${LOADS}): ${round(ratio, 2)}x`);
  }
}

/** Base64url of a scenario file, for the link's `file` parameter. */
const fileParam = (scenario) => Buffer.from(JSON.stringify(scenario)).toString('base64url');

async function frames(browser, baseUrl, figures) {
  // Nine servers and a client writing as fast as it is answered, at the top speed (real time).
  const scenario = {
    description: { en: 'Benchmark: nine servers, one client writing continuously.' },
    nodes: 9,
    clients: { count: 1, load: true, think_ms: 1, timeout_ms: 2000, keys: 8 },
    actions: [],
  };
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addInitScript(initScript);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${baseUrl}?v=1&seed=1&file=${fileParam(scenario)}&speed=1`, { waitUntil: 'load', timeout: WALL_TIMEOUT_MS });
  await page.waitForSelector('[data-testid=node]', { timeout: WALL_TIMEOUT_MS });
  if (errors.length) throw new Error(`the benchmark's page failed: ${errors.join('; ')}`);
  if ((await page.getAttribute('[data-testid=play-pause]', 'data-state')) !== 'playing') await page.click('[data-testid=play-pause]');
  await page.locator('[data-testid=spacetime]').scrollIntoViewIfNeeded();
  const servers = await page.locator('[data-testid=node]').count();
  // Two seconds to elect and warm up, then the measured stretch.
  await page.waitForFunction(() => Number(document.querySelector('[data-testid=sim-time]')?.dataset.us) > 2e6, null, { timeout: WALL_TIMEOUT_MS });
  const simStart = Number(await page.getAttribute('[data-testid=sim-time]', 'data-us'));
  // Cross-check: Chromium's own count of the main thread's busy time over the same stretch.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
  const busyBefore = await taskSeconds();
  await page.evaluate(() => {
    window.__frames.clear();
    window.__longTasks.length = 0;
    window.__recording = true;
  });
  await page.waitForTimeout(FRAMES_S * 1000); // the measured interval itself, not a wait for a condition
  const result = await page.evaluate(() => {
    window.__recording = false;
    const stamps = [...window.__frames.keys()].sort((a, b) => a - b);
    return {
      work: stamps.map((t) => window.__frames.get(t).end - window.__frames.get(t).start),
      gaps: stamps.slice(1).map((t, i) => t - stamps[i]),
      longTasks: window.__longTasks,
      commit: Math.max(...[...document.querySelectorAll('[data-testid=node]')].map((n) => Number(n.dataset.commit))),
    };
  });
  const busy = (await taskSeconds()) - busyBefore;
  const simEnd = Number(await page.getAttribute('[data-testid=sim-time]', 'data-us'));
  if (result.work.length < 2) throw new Error(`only ${result.work.length} animation frames in ${FRAMES_S} s: the page did not play`);
  await context.close();
  const p95 = quantile(result.work, 0.95);
  const max = Math.max(...result.work);
  figures.frames = {
    seconds: FRAMES_S,
    servers,
    simulatedSeconds: round((simEnd - simStart) / 1e6, 2),
    committed: result.commit,
    frames: result.work.length,
    mainThreadMs: { median: round(median(result.work), 2), p95: round(p95, 2), max: round(max, 2) },
    frameIntervalMs: { median: round(median(result.gaps), 2), p95: round(quantile(result.gaps, 0.95), 2), max: round(Math.max(...result.gaps), 2) },
    longTasks: result.longTasks.length,
    mainThreadBusyPercent: round((busy / FRAMES_S) * 100, 1),
    budget: { p95Ms: BUDGET.frameP95Ms, maxMs: BUDGET.frameMaxMs, longTasks: 0 },
    met: p95 <= BUDGET.frameP95Ms && max <= BUDGET.frameMaxMs && result.longTasks.length === 0,
  };
  console.log(
    `frames: ${result.work.length} frames in ${FRAMES_S} s with ${servers} servers: main thread p95 ${round(p95, 2)} ms, max ${round(max, 2)} ms; ` +
      `frame interval max ${round(Math.max(...result.gaps), 1)} ms; ${result.longTasks.length} long tasks; main thread busy ${round((busy / FRAMES_S) * 100, 1)} % of the time; ${round((simEnd - simStart) / 1e6, 1)} simulated s`,
  );
}

function memory(figures) {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'raft-bench-')), 'soak.json');
  console.log(`memory: soak.mjs for ${MEMORY_S} simulated s with faults ...`);
  const run = spawnSync(process.execPath, [path.join(here, 'soak.mjs')], {
    // Faults that come and go (crashes and restarts, timeouts, partitions and heals, cut
    // links, dropped messages, snapshots, transfers) with client writes; the network
    // sliders are left out: a higher loss or duplication rate set in the second half
    // changes the workload for good (more messages, more arrows), which is not a leak.
    env: { ...process.env, SOAK_SECONDS: String(MEMORY_S), SOAK_JSON: out, DIST_DIR: distDir, SOAK_ACTIONS: MEMORY_ACTIONS },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (!existsSync(out)) throw new Error(`soak.mjs wrote no figures (exit ${run.status})`);
  const soak = JSON.parse(readFileSync(out, 'utf8'));
  rmSync(path.dirname(out), { recursive: true, force: true });
  if (soak.samples.length === 0) throw new Error(`soak.mjs took no sample: ${soak.failures.join('; ')}`);
  const total = soak.samples.map((s) => s.jsHeap + s.wasm);
  const last = total[total.length - 1];
  const peak = Math.max(...total);
  const mb = (b) => round(b / 1048576, 2);
  const second = soak.samples.filter((s) => s.simUs >= (soak.warmUpUs + soak.simSeconds * 1e6) / 2);
  figures.memory = {
    simulatedSeconds: soak.simSeconds,
    wallSeconds: round(soak.wallS, 0),
    samples: soak.samples.length,
    endMb: { jsHeap: mb(soak.samples.at(-1).jsHeap), wasm: mb(soak.samples.at(-1).wasm), total: mb(last) },
    peakMb: mb(peak),
    secondHalfMb: second.map((s) => mb(s.jsHeap + s.wasm)),
    soakFailures: soak.failures,
    budgetMb: BUDGET.memoryMb,
    met: peak <= BUDGET.memoryMb * 1048576 && soak.failures.length === 0,
  };
  console.log(`memory: JS heap + wasm memory ${mb(last)} MB at the end, peak ${mb(peak)} MB; soak ${soak.failures.length ? `failed: ${soak.failures.join('; ')}` : 'flat'}`);
}

async function sim(browser, baseUrl, figures) {
  // Natively: the same workload, the release CLI profile (opt-level 3), one JSON line.
  const native = JSON.parse(
    execFileSync('cargo', ['run', '-q', '--profile', 'cli', '-p', 'raft-sim', '--example', 'world_rate', '--', String(SIM_EVENTS), String(SIM_REPS)], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
  const context = await browser.newContext();
  await context.addInitScript(initScript);
  const page = await context.newPage();
  await page.goto(`${baseUrl}?seed=1&paused=1`, { waitUntil: 'load', timeout: WALL_TIMEOUT_MS });
  await page.waitForFunction(() => typeof window.__wasmExports?.bench_world === 'function', null, { timeout: WALL_TIMEOUT_MS });
  const wasm = await page.evaluate(
    ({ events, reps }) => {
      const x = window.__wasmExports;
      x.bench_world(events); // untimed: the engine's tiers warm up
      const rates = [];
      for (let i = 0; i < reps; i++) rates.push(events / (x.bench_world(events) / 1000));
      return { rates, simUs: x.bench_world_end_us() };
    },
    { events: SIM_EVENTS, reps: SIM_REPS },
  );
  await context.close();
  if (wasm.simUs !== native.sim_us) throw new Error(`the wasm run reached ${wasm.simUs} µs, the native one ${native.sim_us} µs: not the same run`);
  const ratio = median(native.events_per_second) / median(wasm.rates);
  figures.sim = {
    events: SIM_EVENTS,
    reps: SIM_REPS,
    simulatedUs: native.sim_us,
    nativeEventsPerSecond: Math.round(median(native.events_per_second)),
    wasmEventsPerSecond: Math.round(median(wasm.rates)),
    ratio: round(ratio, 2),
    budgetRatio: BUDGET.simRatio,
    met: ratio <= BUDGET.simRatio,
  };
  console.log(`sim: native ${figures.sim.nativeEventsPerSecond} events/s, wasm ${figures.sim.wasmEventsPerSecond} events/s: ${round(ratio, 2)}x`);
}

/** Criterion's medians from target/criterion (written by `cargo bench`), if it ran. */
function criterion() {
  const rows = [];
  const base = path.join(root, 'target/criterion');
  const walk = (dir) => {
    for (const entry of existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : []) {
      if (!entry.isDirectory()) continue;
      const full = path.join(dir, entry.name);
      if (entry.name === 'new' && existsSync(path.join(full, 'estimates.json'))) {
        const e = JSON.parse(readFileSync(path.join(full, 'estimates.json'), 'utf8'));
        const b = JSON.parse(readFileSync(path.join(full, 'benchmark.json'), 'utf8'));
        rows.push({ id: b.full_id, medianNs: e.median.point_estimate, lowNs: e.median.confidence_interval.lower_bound, highNs: e.median.confidence_interval.upper_bound, throughput: b.throughput ?? null });
      } else if (entry.name !== 'report' && entry.name !== 'base' && entry.name !== 'change') {
        walk(full);
      }
    }
  };
  walk(base);
  return rows.sort((a, b) => a.id.localeCompare(b.id));
}

const fmtTime = (ns) => (ns >= 1e6 ? `${round(ns / 1e6, 2)} ms` : ns >= 1e3 ? `${round(ns / 1e3, 1)} µs` : `${round(ns, 0)} ns`);
const verdict = (met) => (met ? 'met' : '**not met**');

function markdown(figures) {
  const f = figures;
  const lines = [
    `Measured ${f.date} by \`cargo xtask bench\` (\`web/tests/bench.mjs\`; figures in \`bench/figures.json\`), headless Chromium ${f.browser}, on ${f.machine}.`,
    'Wall-clock figures on a shared 2-core machine move from run to run; the ratios, taken in the same run, move less.',
    '',
    'Each figure was measured at the date in its row (a partial run, `BENCH_ONLY`, keeps the others).',
    '',
    '| figure | measured | budget | | measured at |',
    '|---|---|---|---|---|',
  ];
  if (f.weight) lines.push(`| page weight: everything a cold load fetches, gzipped (${f.weight.files.map((r) => `${r.file} ${round(r.gzipped / 1024)} KB`).join(', ')}) | ${f.weight.totalGzippedKb} KB | ${f.weight.budgetKb} KB | ${verdict(f.weight.met)} | ${f.weight.date ?? ''} |`);
  if (f.firstDraw) lines.push(`| first draw: navigation to the first drawn cluster, median of ${f.firstDraw.loads} cold loads from 127.0.0.1, against a plain page of five circles | ${f.firstDraw.pageMs.median} ms vs ${f.firstDraw.plainMs.median} ms: **${f.firstDraw.ratio}x** (page ${f.firstDraw.pageMs.min}-${f.firstDraw.pageMs.max} ms) | ${f.firstDraw.budgetRatio}x | ${verdict(f.firstDraw.met)} | ${f.firstDraw.date ?? ''} |`);
  if (f.frames) lines.push(`| frames: ${f.frames.seconds} s at real time, ${f.frames.servers} servers, a client writing continuously, space-time diagram shown (${f.frames.frames} frames, ${f.frames.committed} entries committed by the end): main-thread time per frame, from its first animation-frame callback to a task posted from its last (style, layout and paint included; work in other tasks is in the busy time) | p95 **${f.frames.mainThreadMs.p95} ms**, max ${f.frames.mainThreadMs.max} ms, median ${f.frames.mainThreadMs.median} ms; ${f.frames.longTasks} long tasks; frame interval max ${f.frames.frameIntervalMs.max} ms; main thread busy ${f.frames.mainThreadBusyPercent} % of the time (Chromium's TaskDuration) | p95 ${f.frames.budget.p95Ms} ms, none over ${f.frames.budget.maxMs} ms, no long task | ${verdict(f.frames.met)} | ${f.frames.date ?? ''} |`);
  if (f.memory) lines.push(`| memory: JS heap + wasm memory after ${f.memory.simulatedSeconds / 60} simulated minutes at top speed with faults (\`soak.mjs\`, its actions but the network sliders, ${f.memory.samples} samples) | **${f.memory.endMb.total} MB** at the end (JS ${f.memory.endMb.jsHeap}, wasm ${f.memory.endMb.wasm}), peak ${f.memory.peakMb} MB; second half ${f.memory.secondHalfMb.join(', ')} MB${f.memory.soakFailures.length ? `; soak: ${f.memory.soakFailures.join('; ')}` : ', flat'} | under ${f.memory.budgetMb} MB, flat | ${verdict(f.memory.met)} | ${f.memory.date ?? ''} |`);
  if (f.sim) lines.push(`| simulator: the world's fixed workload (\`raft_sim::workload\`, ${f.sim.events.toLocaleString('en')} events, same end time ${f.sim.simulatedUs} µs), native (\`--profile cli\`) against the page's wasm | ${f.sim.nativeEventsPerSecond.toLocaleString('en')} vs ${f.sim.wasmEventsPerSecond.toLocaleString('en')} events/s: **${f.sim.ratio}x** | ${f.sim.budgetRatio}x | ${verdict(f.sim.met)} | ${f.sim.date ?? ''} |`);
  if (f.criterion?.length) {
    lines.push('', 'Criterion (`cargo bench --workspace`, as last written to `target/criterion`), median and its 95 % interval:', '', '| bench | median | interval |', '|---|---|---|');
    for (const r of f.criterion) {
      const per = r.throughput?.Elements ? ` (${Math.round(r.throughput.Elements / (r.medianNs / 1e9)).toLocaleString('en')} /s)` : '';
      lines.push(`| \`${r.id}\` | ${fmtTime(r.medianNs)}${per} | ${fmtTime(r.lowNs)} - ${fmtTime(r.highNs)} |`);
    }
  }
  return lines.join('\n');
}

async function main() {
  if (!existsSync(path.join(distDir, 'index.html'))) {
    console.log(`no built page at ${distDir}: run \`cargo xtask dist\` first`);
    process.exitCode = 1;
    return;
  }
  const figures = {
    date: new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC',
    machine: `${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${os.loadavg()[0].toFixed(1)} at the start`,
  };
  const server = await serveDir(distDir, '/playground/');
  const plainDir = mkdtempSync(path.join(os.tmpdir(), 'raft-bench-plain-'));
  writeFileSync(path.join(plainDir, 'index.html'), PLAIN_PAGE);
  const plainServer = await serveDir(plainDir, '/plain/');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  figures.browser = browser.version();
  try {
    if (ONLY.includes('weight') || ONLY.includes('draw')) await weightAndDraw(browser, server.url, plainServer.url, figures);
    if (ONLY.includes('frames')) await frames(browser, server.url, figures);
    if (ONLY.includes('sim')) await sim(browser, server.url, figures);
  } finally {
    await browser.close();
    await server.close();
    await plainServer.close();
    rmSync(plainDir, { recursive: true, force: true });
  }
  if (ONLY.includes('memory')) memory(figures);
  figures.criterion = criterion();
  // A partial run (BENCH_ONLY) keeps the figures it did not measure from the last run.
  const figuresFile = path.join(root, 'bench/figures.json');
  const previous = existsSync(figuresFile) ? JSON.parse(readFileSync(figuresFile, 'utf8')) : {};
  for (const key of ['weight', 'firstDraw', 'frames', 'memory', 'sim']) {
    if (figures[key]) figures[key].date = figures.date;
    else if (previous[key]) figures[key] = previous[key];
  }
  if (figures.criterion.length === 0 && previous.criterion) figures.criterion = previous.criterion;
  mkdirSync(path.join(root, 'bench'), { recursive: true });
  writeFileSync(figuresFile, JSON.stringify(figures, null, 1) + '\n');
  const file = path.join(root, 'BENCHMARKS.md');
  const text = readFileSync(file, 'utf8');
  const [begin, end] = ['<!-- bench:begin -->', '<!-- bench:end -->'];
  if (!text.includes(begin) || !text.includes(end)) throw new Error(`BENCHMARKS.md has no ${begin} ... ${end} section to rewrite`);
  const updated = text.slice(0, text.indexOf(begin) + begin.length) + '\n' + markdown(figures) + '\n' + text.slice(text.indexOf(end));
  writeFileSync(file, updated);
  console.log('wrote bench/figures.json and BENCHMARKS.md');
}

await main();
