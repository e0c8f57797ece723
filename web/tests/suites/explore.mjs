// "What could go wrong from here?": the model checker in the page. It explores in
// slices between frames (the page stays responsive), ends safe within the depth or
// loads the shortest counterexample as the run, which plays to the violation.
import path from 'node:path';
import { artifacts, assert, open, test, until, WALL_TIMEOUT_MS } from '../lib.mjs';
import { showTabOf } from '../tabs.mjs';

const result = (page) =>
  page.$eval('[data-testid=explore-result]', (r) => ({
    outcome: r.dataset.outcome,
    states: Number(r.dataset.states),
    depth: Number(r.dataset.depth),
    text: r.textContent,
  }));

export default async (context, baseUrl) => {
  await test('explore: from a bug scenario the control finds the violation and loads it as a run that plays to it (mouse)', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=1&scenario=bug-apply-before-commit&paused', {
      viewport: { width: 1280, height: 900 },
    });
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    await (await showTabOf(page, '[data-testid=explore-depth]')).fill('6');
    await page.press('[data-testid=explore-depth]', 'Enter');
    await page.click('[data-testid=explore]');
    await page.waitForSelector('[data-testid=explore-result]', { state: 'attached', timeout: WALL_TIMEOUT_MS });
    const r = await result(page);
    assert(r.outcome === 'violation', `outcome ${r.outcome}: ${r.text}`);
    assert(r.depth > 0 && r.depth <= 6 && r.states > 0, JSON.stringify(r));
    assert(r.text.includes('State Machine Safety'), r.text);
    // The counterexample is the run now, paused at its start: played, it reaches the violation.
    // A loaded file: the scenario panel shows its title, "<invariant> broken in N steps".
    await until(page, 'the counterexample loaded', async () =>
      ((await page.textContent('[data-testid=scenario]').catch(() => '')) ?? '').includes('broken in'));
    assert((await page.$('[data-testid=violation]')) === null, 'a violation before the run played');
    await page.click('[data-testid=play-pause]');
    await page.waitForSelector('[data-testid=violation]', { state: 'attached', timeout: WALL_TIMEOUT_MS });
    await page.locator('[data-testid=explore-panel]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'explore-violation-1280.png') });
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('explore: a correct cluster is safe within the depth, by keyboard; the page answers while it explores (390 px)', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=3&size=3&paused', { viewport: { width: 390, height: 844 } });
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    const depth = await showTabOf(page, '[data-testid=explore-depth]');
    await depth.fill('7');
    await page.press('[data-testid=explore-depth]', 'Enter');
    await page.focus('[data-testid=explore]');
    await page.keyboard.press('Enter');
    // While it runs, the page still draws: the progress moves between frames.
    await page.waitForSelector('[data-testid=explore-progress]', { state: 'attached', timeout: 10_000 });
    const first = await page.textContent('[data-testid=explore-progress]').catch(() => '');
    await page.waitForSelector('[data-testid=explore-result]', { state: 'attached', timeout: WALL_TIMEOUT_MS });
    const r = await result(page);
    assert(r.outcome === 'safe', `outcome ${r.outcome}: ${r.text}`);
    assert(r.states > 1000 && r.text.includes(String(r.states)), JSON.stringify(r));
    assert(first !== '', 'no progress shown while exploring');
    await page.locator('[data-testid=explore-panel]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'explore-safe-390.png') });
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });
};
