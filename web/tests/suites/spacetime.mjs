// The space-time diagram: lanes, arrows linked with the ring, click-to-scrub,
// and lost messages marked in the ring (by hand and by the network).
import path from 'node:path';
import {
  artifacts, assert, leaderOf, nodeStates, open, pause, simTimeUs, test, until, WALL_TIMEOUT_MS,
} from '../lib.mjs';

// The diagram's geometry, from web/src/view_model/spacetime.rs.
const WIDTH = 720;
const PLOT_X0 = 44;
const PLOT_X1 = WIDTH - 16;

const arrows = (page) =>
  page.$$eval('[data-testid=arrow]', (as) =>
    as.map((a) => {
      const hit = a.querySelector('.hit');
      const n = (k) => Number(hit.getAttribute(k));
      return { ...a.dataset, x1: n('x1'), y1: n('y1'), x2: n('x2'), y2: n('y2') };
    }),
  );

const ringMessages = (page) =>
  page.$$eval('[data-testid=message]', (ms) => ms.map((m) => ({ ...m.dataset })));

/** Steps (paused) until `probe` returns something, at most `max` steps. */
async function stepUntil(page, what, probe, max = 300) {
  for (let i = 0; i < max; i++) {
    const found = await probe();
    if (found) return found;
    await page.click('[data-testid=step]');
  }
  throw new Error(`no ${what} after ${max} steps`);
}

/** Zooms the diagram to `us` of simulated time. */
async function zoom(page, us) {
  await page.selectOption('[data-testid=spacetime-window]', String(us));
  await until(page, `a ${us} µs window`, async () =>
    (await page.getAttribute('[data-testid=spacetime]', 'data-window-us')) === String(us), 10_000);
}

/**
 * An in-flight message whose arrow is long enough to click (zoom in first) and
 * whose middle no other arrow covers (a click there would select the one on top).
 */
const clickableInFlight = async (page) => {
  const ring = new Set((await ringMessages(page)).map((m) => m.msgId));
  const candidates = (await arrows(page)).filter((a) => a.fate === 'inflight' && ring.has(a.msgId) && a.x2 - a.x1 >= 12);
  for (const a of candidates) {
    const clear = await page.evaluate((id) => {
      const hit = document.querySelector(`[data-testid=arrow][data-msg-id="${id}"] .hit`);
      if (!hit) return false;
      hit.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      const r = hit.getBoundingClientRect();
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return top?.closest('[data-testid=arrow]')?.dataset.msgId === id;
    }, a.msgId);
    if (clear) return a;
  }
  return undefined;
};

export default async function spacetime(context, baseUrl) {
  const { page, problems } = await open(context, baseUrl, '?seed=7&speed=1');

  await test('space-time: one lane per server, arrows and role marks match the ring', async () => {
    await page.waitForSelector('[data-testid=spacetime]', { timeout: WALL_TIMEOUT_MS });
    const leader = await until(page, 'a leader', async () => leaderOf(await nodeStates(page)));
    await pause(page);
    const nodes = await nodeStates(page);
    const lanes = await page.$$eval('[data-testid=lane]', (ls) => ls.map((l) => l.dataset.nodeId));
    assert(
      JSON.stringify(lanes) === JSON.stringify(nodes.map((n) => n.id)),
      `lanes ${lanes} vs servers ${nodes.map((n) => n.id)}`,
    );
    // The election that made the leader is marked on its lane, with its term.
    const marks = await page.$$eval('[data-testid=role-mark]', (ms) => ms.map((m) => ({ ...m.dataset })));
    assert(
      marks.some((m) => m.nodeId === leader.id && m.role === 'leader' && m.term === leader.term),
      `no leader mark for S${leader.id} in term ${leader.term}: ${JSON.stringify(marks.slice(-8))}`,
    );
    assert(marks.some((m) => m.role === 'candidate' || m.role === 'precandidate'), 'no candidate mark');
    // Every message in flight in the ring is an in-flight arrow with the same attributes.
    await stepUntil(page, 'message in flight', async () => (await ringMessages(page)).length > 0);
    const all = await arrows(page);
    const ring = await ringMessages(page);
    for (const m of ring) {
      const a = all.find((x) => x.msgId === m.msgId);
      assert(a, `no arrow for ring message ${m.msgId}`);
      for (const k of ['type', 'from', 'to']) assert(a[k] === m[k], `arrow ${m.msgId} ${k}: ${a[k]} vs ${m[k]}`);
      assert(a.fate === 'inflight', `arrow ${m.msgId} is ${a.fate}`);
    }
    assert(all.some((a) => a.fate === 'delivered'), 'no delivered arrow');
    // Arrows go from the sender's lane to the receiver's (delivered ones end on it).
    const laneY = Object.fromEntries(
      await page.$$eval('[data-testid=lane]', (ls) =>
        ls.map((l) => [l.dataset.nodeId, Number(l.querySelector('.lane-line').getAttribute('y1'))]),
      ),
    );
    const d = all.find((a) => a.fate === 'delivered' && !a.client);
    assert(d.y1 === laneY[d.from] && d.y2 === laneY[d.to], `arrow ${JSON.stringify(d)} vs lanes ${JSON.stringify(laneY)}`);
    assert(problems.length === 0, problems.join('\n'));
  });

  await test('space-time: a message dropped in the ring ends in a cross (fate lost, reason manual)', async () => {
    await pause(page);
    await zoom(page, 100000);
    const a = await stepUntil(page, 'clickable message', () => clickableInFlight(page));
    const id = a.msgId;
    await page.locator(`[data-testid=message][data-msg-id="${id}"]`).dispatchEvent('click');
    const arrow = `[data-testid=arrow][data-msg-id="${id}"]`;
    await until(page, 'the arrow to be lost', async () => (await page.getAttribute(arrow, 'data-fate')) === 'lost', 10_000);
    assert((await page.getAttribute(arrow, 'data-reason')) === 'manual', 'reason is not manual');
    assert((await page.$$(`${arrow} .cross`)).length === 2, 'no cross at the end of the arrow');
    assert(
      (await page.getAttribute(`[data-testid=dropped-message][data-msg-id="${id}"]`, 'data-reason')) === 'manual',
      'the ring mark has no data-reason=manual',
    );
  });

  await test('space-time: clicking an arrow selects the message in both views; hovering a ring message too', async () => {
    await pause(page);
    const a = await stepUntil(page, 'clickable message', () => clickableInFlight(page));
    const id = a.msgId;
    // A real click on the middle of the arrow.
    await page.click(`[data-testid=arrow][data-msg-id="${id}"] .hit`);
    await until(page, 'the arrow selected', async () =>
      (await page.getAttribute(`[data-testid=arrow][data-msg-id="${id}"]`, 'data-selected')) === 'true', 10_000);
    assert(
      (await page.getAttribute(`[data-testid=message][data-msg-id="${id}"]`, 'data-selected')) === 'true',
      'not selected in the ring',
    );
    assert((await page.$$('[data-testid=message][data-selected=true]')).length === 1, 'more than one selected in the ring');
    assert((await page.$$('[data-testid=arrow][data-selected=true]')).length === 1, 'more than one arrow selected');
    const line = page.locator('[data-testid=message-inspector]');
    assert((await line.getAttribute('data-msg-id')) === id, 'the inspector line is about another message');
    assert((await line.getAttribute('data-fate')) === 'inflight', 'the inspector line does not say in flight');
    const text = await line.textContent();
    assert(text.includes(a.type) && text.includes('in flight, due at'), `inspector line: ${text}`);
    // Clicking an arrow selects; it does not rewind.
    assert((await page.$('[data-testid=in-past]')) === null, 'clicking an arrow moved the time');

    // Hovering another ring message selects it, and the diagram follows.
    const other = (await ringMessages(page)).find((m) => m.msgId !== id);
    if (other) {
      await page.hover(`[data-testid=message][data-msg-id="${other.msgId}"] .hit`, { force: true });
      await until(page, 'the hovered message selected in the diagram', async () =>
        (await page.getAttribute(`[data-testid=arrow][data-msg-id="${other.msgId}"]`, 'data-selected')) === 'true', 10_000);
    }

    // Keyboard: focus the diagram, End selects the newest arrow, Left the one before.
    await page.focus('[data-testid=spacetime]');
    await page.keyboard.press('End');
    const ids = (await arrows(page)).map((x) => x.msgId);
    await until(page, 'End to select the newest', async () =>
      (await line.getAttribute('data-msg-id')) === ids[ids.length - 1], 10_000);
    await page.keyboard.press('ArrowLeft');
    await until(page, 'Left to select the one before', async () =>
      (await line.getAttribute('data-msg-id')) === ids[ids.length - 2], 10_000);

    // Selecting a server highlights its lane.
    await page.click('[data-testid=node][data-node-id="3"]');
    await until(page, 'lane 3 highlighted', async () =>
      (await page.getAttribute('[data-testid=lane][data-node-id="3"]', 'data-selected')) === 'true', 10_000);
    assert((await page.$$('[data-testid=lane][data-selected=true]')).length === 1, 'more than one lane selected');
    await page.screenshot({ path: path.join(artifacts, 'spacetime.png'), fullPage: true });
    await page.locator('[data-testid=spacetime-panel]').screenshot({ path: path.join(artifacts, 'spacetime-panel.png') });
    await page.keyboard.press('Escape');
    await until(page, 'Escape clears the selections', async () =>
      (await page.$$('[data-testid=arrow][data-selected=true]')).length === 0, 10_000);
  });

  await test('space-time: clicking the background goes back in time, as the scrubber does', async () => {
    await page.click('[data-testid=play-pause]');
    await until(page, 'over 1.2 s of simulated time', async () => (await simTimeUs(page)) > 1_200_000);
    await pause(page);
    await zoom(page, 1000000);
    await page.locator('[data-testid=spacetime]').scrollIntoViewIfNeeded();
    const t0 = await simTimeUs(page);
    assert(t0 > 1_000_000, `only ${t0} µs simulated`);
    const box = await page.locator('[data-testid=spacetime]').boundingBox();
    const scale = box.width / WIDTH;
    // Halfway along the time axis, in the ticks' row above the lanes.
    await page.mouse.click(box.x + ((PLOT_X0 + PLOT_X1) / 2) * scale, box.y + 4 * scale);
    await until(page, 'time to go back', async () => (await simTimeUs(page)) < t0, 10_000);
    const t1 = await simTimeUs(page);
    assert(Math.abs(t0 - 500_000 - t1) < 20_000, `clicked half a window back from ${t0}, went to ${t1}`);
    assert((await page.$('[data-testid=in-past]')) !== null, 'no in-the-past hint after scrubbing back');
    const scrubber = Number(await page.inputValue('[data-testid=scrubber]'));
    assert(scrubber === Math.floor(t1 / 1000), `scrubber at ${scrubber} ms, sim time ${t1}`);
    // The diagram shows the journal of that moment: nothing ends after the cursor.
    const cursor = Number(await page.getAttribute('[data-testid=spacetime-cursor]', 'data-us'));
    assert(cursor === t1, `cursor at ${cursor}, time ${t1}`);
    const all = await arrows(page);
    const late = all.filter((a) => Number(a.endUs) > t1 || Number(a.sentUs) > t1);
    assert(late.length === 0, `arrows after the new now: ${JSON.stringify(late.slice(0, 3))}`);
    assert(all.some((a) => Number(a.sentUs) < t1 - 500_000), 'the 1 s window shows no older arrows');
    // Zoomed out to 2 s, then back to the automatic window: 1 s at real time.
    await zoom(page, 2000000);
    await page.selectOption('[data-testid=spacetime-window]', 'auto');
    await until(page, 'auto window', async () =>
      (await page.getAttribute('[data-testid=spacetime]', 'data-window-us')) === '1000000', 10_000);
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('space-time and ring: messages lost to the network are marked where, with the reason', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&speed=0.2');
    await page.waitForSelector('[data-testid=loss]', { timeout: WALL_TIMEOUT_MS });
    await page.$eval('[data-testid=loss]', (el) => {
      el.value = '60';
      el.dispatchEvent(new Event('change', { bubbles: true }));
    });
    const mark = await until(page, 'a message lost to the network', async () =>
      page.$$eval('[data-testid=dropped-message][data-reason=loss]', (ds) => ds[0] && { ...ds[0].dataset }));
    const arrow = await page.$eval(`[data-testid=arrow][data-msg-id="${mark.msgId}"]`, (a) => ({ ...a.dataset }));
    assert(arrow.fate === 'lost' && arrow.reason === 'loss', `arrow ${JSON.stringify(arrow)}`);
    assert(arrow.type === mark.type, `types differ: ${arrow.type} vs ${mark.type}`);
    const title = await page.textContent(`[data-testid=dropped-message][data-msg-id="${mark.msgId}"] title`);
    assert(title.includes('lost by the network'), `tooltip: ${title}`);
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('space-time with reduced motion: the window moves on in quarter steps, it does not slide', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&speed=1', { reducedMotion: 'reduce' });
    await page.waitForSelector('[data-testid=playground][data-reduced-motion="true"]', { timeout: WALL_TIMEOUT_MS });
    const starts = new Set();
    await until(page, 'three window positions', async () => {
      const [start, win, now] = await page.$eval('[data-testid=spacetime]', (s) =>
        [s.dataset.startUs, s.dataset.windowUs, s.dataset.nowUs].map(Number));
      assert(start % (win / 4) === 0, `window start ${start} is not a multiple of ${win / 4}`);
      assert(start <= now && now <= start + win, `now ${now} outside [${start}, ${start + win}]`);
      if (now > win) starts.add(start);
      return starts.size >= 3;
    });
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('space-time at 360 px: the diagram scrolls in its box following now, the page does not', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&speed=1', { viewport: { width: 360, height: 760 } });
    await page.waitForSelector('[data-testid=spacetime]', { timeout: WALL_TIMEOUT_MS });
    await until(page, 'over 1.2 s of simulated time', async () => (await simTimeUs(page)) > 1_200_000);
    const geometry = () =>
      page.evaluate(() => {
        const box = document.querySelector('.spacetime-scroll');
        const b = box.getBoundingClientRect();
        const cursor = document.querySelector('[data-testid=spacetime-cursor]').getBoundingClientRect();
        const label = document.querySelector('[data-testid=lane-labels] .lane-label').getBoundingClientRect();
        return {
          doc: document.documentElement.scrollWidth, client: box.clientWidth, scroll: box.scrollWidth, left: box.scrollLeft,
          cursorIn: cursor.left >= b.left && cursor.right <= b.right,
          labelIn: label.left >= b.left && label.right <= b.right,
        };
      });
    let g = await geometry();
    assert(g.doc <= 360, `page is ${g.doc} px wide`);
    assert(g.scroll > g.client, `the diagram does not scroll in its box: ${JSON.stringify(g)}`);
    assert(g.left > 0 && g.cursorIn, `"now" is not in view: ${JSON.stringify(g)}`);
    assert(g.labelIn, `the lane names scrolled away: ${JSON.stringify(g)}`);
    // Scrolled back by hand, it stays there (no tug of war) and the names stay in view.
    await page.$eval('.spacetime-scroll', (el) => { el.scrollLeft = 0; });
    await page.waitForTimeout(400);
    g = await geometry();
    assert(g.left === 0, `scrolled back to ${g.left} after a manual scroll to 0`);
    assert(g.labelIn, 'the lane names are not in view at the left end');
    await page.screenshot({ path: path.join(artifacts, 'spacetime-360.png'), fullPage: true });
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });
}
