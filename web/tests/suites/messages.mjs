// What the network may do to a message, by hand: the actions bar under the ring
// (drop, duplicate, hold, release) with the mouse, and the keys d, u, k, g.
import path from 'node:path';
import { artifacts, assert, leaderOf, nodeStates, open, pause, stepUntil, test, until, WALL_TIMEOUT_MS } from '../lib.mjs';

const message = (id) => `[data-testid=message][data-msg-id="${id}"]`;
const bar = '[data-testid=message-actions]';

/** Steps the paused run until a message is in flight. */
async function stepUntilMessages(page) {
  for (let i = 0; i < 300; i++) {
    if ((await page.$$('[data-testid=message]')).length >= 1) return;
    await page.click('[data-testid=step]');
  }
  throw new Error('no messages in flight after 300 steps');
}

/** Where a message is drawn (its hit circle's centre), or null when it is not drawn. */
const where = (page, id) =>
  page.evaluate((sel) => {
    const hit = document.querySelector(`${sel} .hit`);
    return hit ? `${hit.getAttribute('cx')},${hit.getAttribute('cy')}` : null;
  }, message(id));

/** Steps the paused run `n` times (the simulated clock moves on). */
const stepTimes = (page, n) =>
  page.evaluate(async (n) => {
    const step = document.querySelector('[data-testid=step]');
    for (let i = 0; i < n; i++) {
      step.click();
      await new Promise((r) => setTimeout(r, 0));
    }
  }, n);

/** The messages drawn on the link from→to of this type. */
const copies = (page, { from, to, type }) =>
  page.$$eval(
    `[data-testid=message][data-from="${from}"][data-to="${to}"][data-type="${type}"]`,
    (ms) => ms.length,
  );

const simUs = async (page) => Number(await page.getAttribute('[data-testid=sim-time]', 'data-us'));

/** Holds message `id` (already the bar's), checks it stands still while time passes, releases it and sees it arrive. */
async function holdWaitRelease(page, id, { hold, release }) {
  await hold();
  await until(page, 'the message held', async () => (await page.getAttribute(message(id), 'data-held')) === 'true', 10_000);
  const said = await page.textContent('[data-testid=narration]');
  assert(said.startsWith('You held'), `narration: ${said}`);
  assert((await page.$(`${bar} [data-action=release]`)) !== null, 'no release for a held message');
  assert((await page.$(`${bar} [data-action=hold]`)) === null, 'hold offered for a held message');
  const at = await where(page, id);
  const t0 = await simUs(page);
  await stepTimes(page, 40);
  assert((await simUs(page)) > t0, 'time did not pass');
  assert((await where(page, id)) === at, `the held message moved: ${at} -> ${await where(page, id)}`);
  await release();
  await until(page, 'the message released', async () => (await page.getAttribute(message(id), 'data-held')) !== 'true', 10_000);
  for (let i = 0; i < 200 && (await page.$(message(id))) !== null; i++) await stepTimes(page, 1);
  assert((await page.$(message(id))) === null, 'the released message never arrived');
  assert((await page.$(`[data-testid=dropped-message][data-msg-id="${id}"]`)) === null, 'the released message was lost');
  const activity = await page.textContent('[data-testid=activity]');
  assert(activity.includes('You released'), `activity: ${activity}`);
}

export default async (context, baseUrl) => {
  await test('messages: compaction is drawn: InstallSnapshot travels to the lagging S3, and its log then starts at the snapshot', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=3&scenario=snapshot-catch-up&paused');
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    const flying = await stepUntil(page, () => document.querySelector('[data-testid=message][data-type=InstallSnapshot][data-to="3"]'), null, 20_000);
    assert(flying >= 0, 'no InstallSnapshot to S3 drawn on the ring');
    // The leader's own log is compacted by then: its snapshot's last entry is marked.
    const leader = leaderOf(await nodeStates(page));
    assert(
      (await page.$$(`[data-testid=log-entry][data-node-id="${leader.id}"][data-snapshot=true]`)).length === 1,
      "the leader's snapshot end is not marked",
    );
    await page.screenshot({ path: path.join(artifacts, 'install-snapshot.png') });
    assert((await page.$$('[data-testid=arrow][data-type=InstallSnapshot]')).length > 0, 'no InstallSnapshot arrow in the space-time diagram');
    // Delivered and installed: S3's log now starts with the snapshot the leader sent.
    const installed = await stepUntil(page, () => document.querySelector('[data-testid=log-entry][data-node-id="3"][data-snapshot=true]'), null, 20_000);
    assert(installed >= 0, "S3's log never shows the installed snapshot");
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('messages: mouse: hold a message, time passes and it stays put, release it and it arrives; duplicate one', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&speed=1', { viewport: { width: 1280, height: 900 } });
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    await until(page, 'a leader', async () => leaderOf(await nodeStates(page)));
    await pause(page);
    await stepUntilMessages(page);
    const first = await page.$eval('[data-testid=message]', (m) => ({ ...m.dataset }));
    // Pointing at a message brings up its actions bar.
    await page.hover(message(first.msgId), { force: true });
    await until(page, 'the actions bar', async () => (await page.getAttribute(bar, 'data-msg-id')) === first.msgId, 10_000);
    for (const a of ['drop', 'duplicate', 'hold']) {
      assert((await page.$(`${bar} [data-action=${a}]`)) !== null, `no ${a} in the bar`);
    }
    assert((await page.$(`${bar} [data-action=release]`)) === null, 'release offered for a moving message');
    await holdWaitRelease(page, first.msgId, {
      hold: async () => {
        await page.click(`${bar} [data-action=hold]`);
        await page.screenshot({ path: path.join(artifacts, 'message-held-1280.png') });
      },
      release: async () => {
        await page.hover(message(first.msgId), { force: true });
        await until(page, 'the bar for the held message', async () =>
          (await page.getAttribute(bar, 'data-msg-id')) === first.msgId, 10_000);
        await page.click(`${bar} [data-action=release]`);
      },
    });
    // Duplicate: a second copy on the same link.
    await stepUntilMessages(page);
    const m = await page.$eval('[data-testid=message]', (m) => ({ ...m.dataset }));
    const before = await copies(page, m);
    await page.hover(message(m.msgId), { force: true });
    await until(page, 'the bar', async () => (await page.getAttribute(bar, 'data-msg-id')) === m.msgId, 10_000);
    await page.click(`${bar} [data-action=duplicate]`);
    await until(page, 'a second copy', async () => (await copies(page, m)) === before + 1, 10_000);
    assert((await page.textContent('[data-testid=narration]')).startsWith('You duplicated'), 'not narrated');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('messages: keyboard: ] picks a message, k holds it, g releases it, u duplicates; the help lists them', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&speed=1&lang=en', { viewport: { width: 390, height: 844 } });
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    await until(page, 'a leader', async () => leaderOf(await nodeStates(page)));
    await pause(page);
    await stepUntilMessages(page);
    await page.locator('[data-testid=play-pause]').focus();
    await page.keyboard.press(']');
    const id = await until(page, 'a picked message', () =>
      page.$$eval('[data-testid=message][data-picked=true]', (ms) => ms.map((m) => m.dataset.msgId)[0]));
    await holdWaitRelease(page, id, {
      hold: async () => {
        await page.keyboard.press('k');
        await page.locator(bar).scrollIntoViewIfNeeded();
        await page.screenshot({ path: path.join(artifacts, 'message-held-390.png') });
      },
      release: () => page.keyboard.press('g'),
    });
    await stepUntilMessages(page);
    await page.keyboard.press(']');
    const picked = await until(page, 'a picked message', () =>
      page.$$eval('[data-testid=message][data-picked=true]', (ms) => ms.map((m) => ({ ...m.dataset }))[0]));
    const before = await copies(page, picked);
    await page.keyboard.press('u');
    await until(page, 'a second copy', async () => (await copies(page, picked)) === before + 1, 10_000);
    await page.keyboard.press('?');
    const help = await page.textContent('[data-testid=help]');
    for (const k of ['duplicate the picked message', 'hold the picked message', 'release the picked held message']) {
      assert(help.includes(k), `help does not list ${k}`);
    }
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });
};
