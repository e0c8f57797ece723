// The throughput panel (Learn, chapter 12): the disk latency and the four optimizations are
// recorded actions, and the live chart reads the leader's commits from the world.
import path from 'node:path';
import { artifacts, assert, open, pause, simTimeUs, test, until, WALL_TIMEOUT_MS } from '../lib.mjs';

const chart = (page) =>
  page.$eval('[data-testid=commit-chart]', (c) => ({
    rate: Number(c.dataset.perSecond),
    latencyUs: c.dataset.latencyUs === '' ? null : Number(c.dataset.latencyUs),
    bars: c.querySelectorAll('.rate-bar').length,
  }));

const activity = (page) => page.textContent('[data-testid=activity]');

export default async (context, baseUrl) => {
  await test('throughput: the chart follows the leader; disk latency, parallel append and async apply by mouse and keyboard (1280 px)', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=3&speed=1', { viewport: { width: 1280, height: 900 } });
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    await page.click('[data-testid=panel-tab][data-panel=learn]');
    await page.waitForSelector('[data-testid=throughput]', { state: 'visible', timeout: 10_000 });
    await page.locator('[data-testid=throughput]').scrollIntoViewIfNeeded();
    // The page's cluster has no clients writing: a leader's no-op at most.
    assert((await page.inputValue('[data-testid=disk-latency]')) === '0', 'the disk is instant by default');
    for (const id of ['batching', 'switch-pipelining']) assert(await page.isChecked(`[data-testid=${id}]`), `${id} is on by default`);
    for (const id of ['switch-parallel-append', 'switch-async-apply']) assert(!(await page.isChecked(`[data-testid=${id}]`)), `${id} is off by default`);
    assert((await chart(page)).bars === 20, 'twenty half-second bars');

    // A slow disk, typed by keyboard: a recorded action the activity list names.
    await page.fill('[data-testid=disk-latency]', '8');
    await page.press('[data-testid=disk-latency]', 'Enter');
    await until(page, 'the disk set', async () => (await activity(page)).includes('8 ms per write'));
    // Parallel append by mouse, async apply by keyboard.
    await page.click('[data-testid=switch-parallel-append]');
    await until(page, 'parallel append on', () => page.isChecked('[data-testid=switch-parallel-append]'));
    await page.focus('[data-testid=switch-async-apply]');
    await page.keyboard.press('Space');
    await until(page, 'async apply on', () => page.isChecked('[data-testid=switch-async-apply]'));
    assert((await activity(page)).includes('async apply on'), 'the switch is not narrated');
    assert((await page.inputValue('[data-testid=disk-latency]')) === '8', 'the field lost its value');

    // The leader's no-op, committed on an instant disk, leaves the chart's last second.
    const t0 = await simTimeUs(page);
    await until(page, 'a second to pass', async () => (await simTimeUs(page)) > Math.max(t0, 1_000_000) + 1_100_000);
    assert((await chart(page)).latencyUs === null, 'a commit in the last second before any write');
    // Three writes from the Clients panel: each commit waits for 8 ms writes on the disks.
    await page.click('[data-testid=panel-tab][data-panel=clients]');
    for (let i = 0; i < 3; i++) await page.click('[data-testid=kv-send]');
    await until(page, 'the writes answered', async () =>
      (await page.$$eval('[data-testid=kv-request][data-status=ok]', (rs) => rs.length)) === 3);
    await page.click('[data-testid=panel-tab][data-panel=learn]');
    const c = await chart(page);
    assert(c.rate > 0 && c.latencyUs !== null, `the chart shows no commit: ${JSON.stringify(c)}`);
    assert(c.latencyUs >= 8_000, `a commit took ${c.latencyUs} µs with an 8 ms disk`);
    await pause(page);
    await page.locator('[data-testid=throughput]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'throughput-1280.png') });
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });
};
