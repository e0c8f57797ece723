// The page's design: what the first screen shows at each size, the side panel's
// sections by mouse, keyboard and link, shortcuts from anywhere, and acting at
// human speed (a message clicked while the cluster plays at the default speed).
import { createRequire } from 'node:module';
import { assert, open, playState, simTimeUs, test, until, WALL_TIMEOUT_MS } from '../lib.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** axe-core's serious and critical violations on the page now. */
async function seriousViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const { violations } = await window.axe.run(document, { resultTypes: ['violations'] });
    return violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(' | ')}`);
  });
}

/** The element's box lies inside the viewport. */
async function inView(page, selector) {
  const box = await page.locator(selector).first().boundingBox();
  const { width, height } = page.viewportSize();
  return box && box.x >= 0 && box.y >= 0 && box.x + box.width <= width + 1 && box.y + box.height <= height + 1
    ? true
    : `${selector} is at ${JSON.stringify(box)} in a ${width}x${height} window`;
}

const tab = (name) => `[data-testid=panel-tab][data-panel=${name}]`;
const PANELS = ['inspect', 'faults', 'membership', 'clients', 'learn', 'settings'];

export default async function layout(context, baseUrl) {
  await test('layout: the first screen shows the ring, the logs and the transport bar at 1280, 390 and 1920 px', async () => {
    const checks = [
      [{ width: 1280, height: 800 }, ['[data-testid=cluster]', '[data-testid=log-row]', '[data-testid=play-pause]']],
      [{ width: 390, height: 844 }, ['[data-testid=cluster]', '[data-testid=play-pause]']],
      [{ width: 1920, height: 1080 }, ['[data-testid=cluster]', '[data-testid=log-row]', '[data-testid=play-pause]', '[data-testid=spacetime]']],
    ];
    for (const [viewport, selectors] of checks) {
      const { page, problems } = await open(context, baseUrl, '?v=1&seed=7&size=5&t=400000&paused', { viewport });
      await page.waitForSelector('[data-testid=log-row]', { timeout: WALL_TIMEOUT_MS });
      for (const s of selectors) {
        const ok = await inView(page, s);
        assert(ok === true, ok);
      }
      assert(problems.length === 0, problems.join('\n'));
      await page.close();
    }
  });

  await test('layout: on a phone the selected server\'s log row is on the first screen, above the bottom sheet', async () => {
    const { page, problems } = await open(context, baseUrl, '?v=1&seed=7&size=5&t=400000&paused', { viewport: { width: 390, height: 844 } });
    await page.waitForSelector('[data-testid=log-row]', { timeout: WALL_TIMEOUT_MS });
    await page.keyboard.press('5');
    await until(page, 'S5 selected', async () => (await page.getAttribute('[data-testid=log-row][data-node-id="5"]', 'data-selected')) === 'true', 5_000);
    const row = await page.locator('[data-testid=log-row][data-node-id="5"]').boundingBox();
    const sheet = await page.locator('[data-testid=side-panel]').boundingBox();
    assert(row.y >= 0 && row.y + row.height <= sheet.y, `S5's row ends at ${row.y + row.height}, the sheet starts at ${sheet.y}`);
    for (const s of ['[data-testid=cluster]', '[data-testid=play-pause]']) {
      const ok = await inView(page, s);
      assert(ok === true, ok);
    }
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('layout: no sideways scrolling from 360 px up', async () => {
    for (const width of [360, 390, 768, 1024, 1280, 1920]) {
      const { page } = await open(context, baseUrl, '?v=1&seed=7&size=9&t=400000&paused', { viewport: { width, height: 800 } });
      await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
      for (const p of PANELS) {
        await page.click(tab(p));
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
        assert(scroll <= width, `${width} px wide with the ${p} panel: the page is ${scroll} px wide`);
      }
      await page.close();
    }
  });

  await test('layout: every panel section opens by mouse and by keyboard, and a link restores it', async () => {
    const { page, problems } = await open(context, baseUrl, '?v=1&seed=7&size=5&paused', { viewport: { width: 1280, height: 800 } });
    await page.waitForSelector(tab('inspect'), { timeout: WALL_TIMEOUT_MS });
    const selected = () => page.$eval('[data-testid=panel-tab][aria-selected=true]', (t) => t.dataset.panel);
    const shown = (name) => page.isVisible(`[data-testid=panel-body][data-panel=${name}]`);
    for (const p of PANELS) {
      await page.locator(tab(p)).click();
      assert((await selected()) === p, `clicking ${p} selected ${await selected()}`);
      assert(await shown(p), `the ${p} section is not shown`);
    }
    // Keyboard: arrows move between the tabs and open them; focus follows.
    await page.locator(tab('inspect')).click();
    for (const p of PANELS.slice(1)) {
      await page.keyboard.press('ArrowRight');
      await until(page, `${p} by keyboard`, async () => (await selected()) === p, 5_000);
      // Focus follows the selection (moved once the tab is drawn selected).
      await until(page, `focus on the ${p} tab`, async () =>
        (await page.evaluate(() => document.activeElement?.dataset?.panel)) === p, 5_000);
      assert(await shown(p), `the ${p} section is not shown`);
    }
    await page.keyboard.press('Home');
    await until(page, 'Home to the first tab', async () => (await selected()) === 'inspect', 5_000);
    // A link remembers the open section.
    await page.locator(tab('clients')).click();
    await until(page, 'panel=clients in the address bar', async () => new URL(page.url()).searchParams.get('panel') === 'clients');
    const { page: again, problems: againProblems } = await open(context, '', page.url());
    await again.waitForSelector(tab('clients'), { timeout: WALL_TIMEOUT_MS });
    assert((await again.getAttribute(tab('clients'), 'aria-selected')) === 'true', 'the link did not open the clients section');
    assert(await again.isVisible('[data-testid=kv-send]'), 'the clients section is not shown');
    assert(problems.length === 0 && againProblems.length === 0, [...problems, ...againProblems].join('\n'));
    await again.close();
    await page.close();
  });

  await test('layout: shortcuts work right after load and after a click on the background (Space pauses, no scroll)', async () => {
    const { page, problems } = await open(context, baseUrl, '?v=1&seed=7&size=5&t=300000', { viewport: { width: 1280, height: 800 } });
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    // Right after load, with nothing focused: ? opens the help.
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid=help]', { timeout: 5_000 });
    assert(await inView(page, '[data-testid=help]') === true || (await page.evaluate(() => {
      const h = document.querySelector('[data-testid=help]');
      return h.scrollHeight > h.clientHeight;
    })), 'the help overlay neither fits nor scrolls inside itself');
    await page.keyboard.press('Escape');
    // A click on the background (the title), then Space: paused, time stops, the page does not scroll.
    await page.click('h1');
    assert((await playState(page)) === 'playing', 'not playing before Space');
    const y0 = await page.evaluate(() => window.scrollY);
    await page.keyboard.press(' ');
    await until(page, 'paused by Space', async () => (await playState(page)) === 'paused', 5_000);
    const t0 = await simTimeUs(page);
    await page.waitForTimeout(600);
    assert((await simTimeUs(page)) === t0, 'simulated time went on after Space paused it');
    assert((await page.evaluate(() => window.scrollY)) === y0, 'Space scrolled the page');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('layout: help overlay fits an 800 px high window', async () => {
    const { page } = await open(context, baseUrl, '?v=1&seed=7&size=5&paused', { viewport: { width: 1280, height: 800 } });
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    await page.keyboard.press('?');
    await page.waitForSelector('[data-testid=help]', { timeout: 5_000 });
    const box = await page.locator('[data-testid=help]').boundingBox();
    assert(box.y >= 0 && box.y + box.height <= 800, `the help overlay is at ${JSON.stringify(box)}`);
    await page.close();
  });

  await test('layout: at the default speed a message can be clicked while the cluster plays', async () => {
    // After the election (heartbeats every 50 ms), playing at the default speed.
    const { page, problems } = await open(context, baseUrl, '?v=1&seed=7&size=5&t=600000', { viewport: { width: 1280, height: 800 } });
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    assert((await playState(page)) === 'playing', 'not playing');
    const label = await page.textContent('[data-testid=speed-label]');
    assert(label.includes('1/100'), `the default speed is ${label}`);
    // A message in flight stays on screen at least a second: click where it is, as a person would.
    const before = await page.$$eval('[data-testid=activity] li', (ls) => ls.length);
    const target = await until(page, 'a message in flight', async () => {
      const m = page.locator('[data-testid=message]').first();
      if ((await m.count()) === 0) return undefined;
      const box = await m.boundingBox();
      const id = await m.getAttribute('data-msg-id');
      return box && box.width >= 23 && { id, x: box.x + box.width / 2, y: box.y + box.height / 2, box };
    });
    await page.mouse.click(target.x, target.y);
    await until(page, `message ${target.id} dropped`, async () =>
      (await page.textContent('[data-testid=activity]')).includes('You dropped'), 5_000);
    assert((await page.$(`[data-testid=message][data-msg-id="${target.id}"]`)) === null, 'the message is still in flight');
    assert((await playState(page)) === 'playing', 'dropping paused the run');
    assert(before >= 0, 'no activity list');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('layout: Step from a fresh run reaches the first RequestVote in one press', async () => {
    const { page, problems } = await open(context, baseUrl, '?v=1&seed=7&size=5&paused', { viewport: { width: 1280, height: 800 } });
    await page.waitForSelector('[data-testid=step]', { timeout: WALL_TIMEOUT_MS });
    assert((await page.$$('[data-testid=message]')).length === 0, 'messages before the first step');
    await page.click('[data-testid=step]');
    await until(page, 'a RequestVote in flight', async () => (await page.$$('[data-testid=message][data-type=RequestVote]')).length > 0, 5_000);
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('layout: on a phone, no serious accessibility violation with the bottom sheet closed and open, in both themes', async () => {
    for (const theme of ['light', 'dark']) {
      const { page } = await open(context, baseUrl, `?v=1&seed=7&size=5&t=400000&paused&theme=${theme}`, { viewport: { width: 390, height: 844 } });
      await page.waitForSelector('[data-testid=side-panel]', { timeout: WALL_TIMEOUT_MS });
      assert((await page.getAttribute('[data-testid=side-panel]', 'data-open')) === 'false', 'the sheet starts open');
      const closed = await seriousViolations(page);
      await page.click(tab('settings'));
      await until(page, 'the sheet to open', async () => (await page.getAttribute('[data-testid=side-panel]', 'data-open')) === 'true', 5_000);
      const opened = await seriousViolations(page);
      assert(closed.length === 0 && opened.length === 0, `${theme}: closed: ${closed.join('; ')} open: ${opened.join('; ')}`);
      await page.close();
    }
  });

  await test('layout: the theme switch changes the page and the link remembers it', async () => {
    const { page } = await open(context, baseUrl, '?v=1&seed=7&size=5&paused', { viewport: { width: 1280, height: 800 } });
    await page.waitForSelector('[data-testid=theme]', { timeout: WALL_TIMEOUT_MS });
    const bg = () => page.evaluate(() => getComputedStyle(document.querySelector('[data-testid=playground]')).backgroundColor);
    const theme = () => page.getAttribute('[data-testid=playground]', 'data-theme');
    const first = await theme();
    const before = await bg();
    await page.click('[data-testid=theme]');
    await until(page, 'the other theme', async () => (await theme()) !== first, 5_000);
    assert((await bg()) !== before, 'the background did not change with the theme');
    await until(page, 'theme= in the address bar', async () => new URL(page.url()).searchParams.get('theme') === (first === 'light' ? 'dark' : 'light'));
    await page.close();
  });
}
