// Partitions by direct manipulation on the ring: a server pressed and moved is dragged
// (a ghost follows the pointer); let go outside the ring it joins group B of the
// partition draft (the Faults panel's chips follow), back inside it returns to A. The
// draft is drawn as a translucent region; the ring's Split button cuts the network, and
// the actual groups are drawn too. A tap still selects and a long press still opens the menu.
import path from 'node:path';
import { artifacts, assert, open, test, until, WALL_TIMEOUT_MS } from '../lib.mjs';

const node = (id) => `[data-testid=node][data-node-id="${id}"]`;
const groupOf = (page, id) => page.getAttribute(`[data-testid=partition-group][data-node-id="${id}"]`, 'data-group');
const draftRegion = '[data-testid=ring-region][data-kind=draft][data-group=B]';

/** Page coordinates of the ring's SVG point (`x`, `y`) (a 400 x 400 drawing). */
async function ringPoint(page, x, y) {
  await page.locator('[data-testid=cluster]').scrollIntoViewIfNeeded();
  const box = await page.locator('[data-testid=cluster]').boundingBox();
  return { x: Math.round(box.x + (x * box.width) / 400), y: Math.round(box.y + (y * box.height) / 400) };
}

/** The centre of server `id` in SVG units, and a point `dist` units from the ring's centre through it. */
async function serverAndBeyond(page, id, dist) {
  const body = `${node(id)} .body`;
  const cx = Number(await page.getAttribute(body, 'cx'));
  const cy = Number(await page.getAttribute(body, 'cy'));
  const len = Math.hypot(cx - 200, cy - 200);
  return {
    at: await ringPoint(page, cx, cy),
    out: await ringPoint(page, 200 + ((cx - 200) * dist) / len, 200 + ((cy - 200) * dist) / len),
  };
}

async function mouseDrag(page, from, to, { beforeUp } = {}) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 10 });
  if (beforeUp) await beforeUp();
  await page.mouse.up();
}

export default async (context, baseUrl) => {
  await test('ring-drag: mouse and touch drag servers off the ring into group B, the ring Split cuts the links', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&paused&panel=faults');
    await page.waitForSelector('[data-testid=partition-group]', { state: 'attached', timeout: WALL_TIMEOUT_MS });
    assert((await page.$('[data-testid=ring-region]')) === null, 'a region drawn with no draft');
    assert((await page.$('[data-testid=ring-split]')) === null, 'the ring Split button with nobody in B');
    // Mouse: S2 out beyond the ring; the ghost says it would go to B.
    const s2 = await serverAndBeyond(page, 2, 192);
    await mouseDrag(page, s2.at, s2.out, {
      beforeUp: () =>
        until(page, 'the ghost over group B', async () =>
          (await page.getAttribute('[data-testid=ring-ghost]', 'data-group').catch(() => null)) === 'B', 10_000),
    });
    await until(page, 'S2 in group B', async () => (await groupOf(page, 2)) === 'B', 10_000);
    assert((await page.$('[data-testid=ring-ghost]')) === null, 'the ghost stayed after letting go');
    await page.waitForSelector(draftRegion, { state: 'attached', timeout: 10_000 });
    assert((await page.getAttribute(draftRegion, 'data-nodes')) === '2', 'the draft region is not around S2');
    assert((await page.getAttribute(node(2), 'aria-pressed')) === 'false', 'letting go of a drag selected S2');
    assert((await page.$$('[data-testid=link][data-cut=true]')).length === 0, 'dragging alone cut links');
    const events = await page.$eval(draftRegion, (r) => getComputedStyle(r).pointerEvents);
    assert(events === 'none', `the region catches clicks (pointer-events: ${events})`);
    // Back inside: A again, and no region.
    const back = await ringPoint(page, 200, 200);
    await mouseDrag(page, s2.at, back);
    await until(page, 'S2 back in group A', async () => (await groupOf(page, 2)) === 'A', 10_000);
    assert((await page.$('[data-testid=ring-region]')) === null, 'a region left after S2 came back');
    await mouseDrag(page, s2.at, s2.out);
    await until(page, 'S2 in group B again', async () => (await groupOf(page, 2)) === 'B', 10_000);
    // Touch: S5 out.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
    const touch = (type, points) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points });
    const s5 = await serverAndBeyond(page, 5, 192);
    await touch('touchStart', [s5.at]);
    for (let i = 1; i <= 8; i++) {
      await touch('touchMove', [{
        x: Math.round(s5.at.x + ((s5.out.x - s5.at.x) * i) / 8),
        y: Math.round(s5.at.y + ((s5.out.y - s5.at.y) * i) / 8),
      }]);
      await page.waitForTimeout(20);
    }
    await touch('touchEnd', []);
    await cdp.detach();
    await until(page, 'S5 in group B after a touch drag', async () => (await groupOf(page, 5)) === 'B', 10_000);
    await until(page, 'the draft region around S2 and S5', async () =>
      (await page.getAttribute(draftRegion, 'data-nodes')) === '2 5', 10_000);
    await page.screenshot({ path: path.join(artifacts, 'ring-drag.png') });
    // The ring's Split button: 2 x 3 links cut, the activity says so, the actual groups drawn.
    await page.click('[data-testid=ring-split]');
    await until(page, '6 links cut', async () => (await page.$$('[data-testid=link][data-cut=true]')).length === 6, 10_000);
    const cut = await page.$$eval('[data-testid=link][data-cut=true]', (ls) => ls.map((l) => `${l.dataset.from}-${l.dataset.to}`).sort());
    assert(cut.join() === '1-2,1-5,2-3,2-4,3-5,4-5', `cut links: ${cut}`);
    assert((await page.textContent('[data-testid=activity]')).includes('You split the network: {S1 S3 S4} | {S2 S5}'),
      'the activity does not narrate the split');
    const split = await page.$$eval('[data-testid=ring-region][data-kind=split]', (rs) => rs.map((r) => `${r.dataset.group}:${r.dataset.nodes}`));
    assert(split.join() === 'A:1 3 4,B:2 5', `split regions: ${split}`);
    await page.screenshot({ path: path.join(artifacts, 'ring-split.png') });
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('ring-drag: a tap still selects a server and a long press still opens its menu', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&paused');
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    const s1 = (await serverAndBeyond(page, 1, 140)).at;
    await page.mouse.click(s1.x, s1.y);
    await until(page, 'a tap to select S1', async () => (await page.getAttribute(node(1), 'aria-pressed')) === 'true', 10_000);
    // A small wobble (under 10 px) stays a press.
    const s4 = (await serverAndBeyond(page, 4, 140)).at;
    await page.mouse.move(s4.x, s4.y);
    await page.mouse.down();
    await page.mouse.move(s4.x + 3, s4.y + 2);
    await page.waitForSelector('[data-testid=node-menu][data-node-id="4"]', { timeout: 10_000 });
    await page.mouse.up();
    assert((await page.$('[data-testid=ring-ghost]')) === null, 'a long press became a drag');
    assert((await page.$('[data-testid=ring-region]')) === null, 'a long press changed the draft');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });
};
