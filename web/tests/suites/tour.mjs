// The guided tour: what each caption says is what the cluster shows.
import path from 'node:path';
import { artifacts, assert, leaderOf, nodeStates, open, test, until } from '../lib.mjs';

const chapter = (page) => page.getAttribute('[data-testid=tour]', 'data-chapter').then(Number).catch(() => 0);

export default async function tour(context, baseUrl) {
  await test('the tour: election, commit, a crashed follower and its repair', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=5&speed=0.4');
    await page.click('[data-testid=tour-start]');
    await until(page, 'chapter 1', async () => (await chapter(page)) === 1);
    await until(page, 'a leader', async () => leaderOf(await nodeStates(page)));
    await until(page, 'chapter 2 (replication)', async () => (await chapter(page)) >= 2);
    const leader = leaderOf(await nodeStates(page));
    await until(page, 'x=1 committed on every server', async () =>
      page.$$eval('[data-testid=log-entry]', (es) => {
        const by = {};
        for (const e of es) if (e.title.includes('cmd') && e.dataset.committed === 'true') by[e.dataset.nodeId] = true;
        return Object.keys(by).length === 5;
      }),
    );
    await until(page, 'chapter 3 (a follower crashes)', async () => (await chapter(page)) >= 3);
    const down = await until(page, 'a crashed follower', async () =>
      (await nodeStates(page)).find((n) => n.alive === 'false'),
    );
    assert(down.id !== leader.id, 'the tour crashed the leader, not a follower');
    const caption = await page.textContent('[data-testid=tour]');
    await page.screenshot({ path: path.join(artifacts, 'tour-crash.png') });
    assert(caption.includes(`Follower S${down.id}`), `the caption does not name S${down.id}: ${caption}`);
    await until(page, 'chapter 5 (your turn)', async () => (await chapter(page)) === 5);
    const logs = await page.$$eval('[data-testid=log-entry]', (es) => {
      const by = {};
      for (const e of es) (by[e.dataset.nodeId] ??= []).push(`${e.dataset.index}:${e.dataset.term}`);
      return by;
    });
    assert(
      logs[down.id]?.join() === logs[leader.id]?.join(),
      `S${down.id}'s log was not repaired: ${logs[down.id]} vs leader ${logs[leader.id]}`,
    );
    await page.screenshot({ path: path.join(artifacts, 'tour.png') });
    await page.click('[data-testid=tour-close]');
    await until(page, 'the caption to close', async () => (await page.$('[data-testid=tour]')) === null);
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });
}
