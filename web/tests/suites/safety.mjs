// The safety panel (Learn): Figure 3's five properties from the world's checker, a
// violated one a button to the moment it broke, and the client history's verdict.
import path from 'node:path';
import { artifacts, assert, open, pause, simTimeUs, test, until, WALL_TIMEOUT_MS } from '../lib.mjs';

const FIGURE_3 = ['election-safety', 'leader-append-only', 'log-matching', 'leader-completeness', 'state-machine-safety'];
const property = (name) => `[data-testid=safety-property][data-property=${name}]`;

/** Each property's state, by name. */
const states = (page) =>
  page.$$eval('[data-testid=safety-property]', (ps) => Object.fromEntries(ps.map((p) => [p.dataset.property, p.dataset.state])));

async function showLearn(page) {
  await page.click('[data-testid=panel-tab][data-panel=learn]');
  await page.waitForSelector('[data-testid=safety]', { state: 'visible', timeout: 10_000 });
}

export default async (context, baseUrl) => {
  await test('safety: a clean run holds Figure 3 and its client history is linearizable (390 px)', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&speed=4', { viewport: { width: 390, height: 844 } });
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    await showLearn(page);
    const s = await states(page);
    assert(JSON.stringify(Object.keys(s)) === JSON.stringify(FIGURE_3), `properties: ${JSON.stringify(s)}`);
    assert(Object.values(s).every((v) => v === 'held'), `states: ${JSON.stringify(s)}`);
    assert((await page.getAttribute('[data-testid=lin-verdict]', 'data-linearizable')) === 'true', 'not linearizable');
    assert((await page.textContent(property('leader-completeness'))).includes('§5.4'), 'no section');
    await page.locator('[data-testid=safety]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'safety-held-390.png') });
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('safety: Figure 8 with the bug shows leader completeness violated; its button goes to that moment (1280 px)', async () => {
    const { page, problems } = await open(context, baseUrl, '?v=1&seed=8&scenario=figure8-commit-previous-term&t=400000&paused', {
      viewport: { width: 1280, height: 900 },
    });
    await page.waitForSelector('[data-testid=violation]', { state: 'attached', timeout: WALL_TIMEOUT_MS });
    await showLearn(page);
    await until(page, 'leader completeness violated', async () => (await states(page))['leader-completeness'] === 'violated');
    const s = await states(page);
    for (const name of ['election-safety', 'leader-append-only', 'log-matching']) {
      assert(s[name] === 'held', `${name} is ${s[name]}`);
    }
    await page.screenshot({ path: path.join(artifacts, 'safety-violated-1280.png') });
    // Go back to the start, then the button goes to the moment it broke.
    await page.$eval('[data-testid=scrubber]', (el) => {
      el.value = '0';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await until(page, 'back at the start', async () => (await states(page))['leader-completeness'] === 'held');
    // Held again, it is no button; back at the end it is one, pressed from the keyboard.
    const jump = `${property('leader-completeness')} button`;
    assert((await page.$(jump)) === null, 'a held property is a button');
    await page.$eval('[data-testid=scrubber]', (el) => {
      el.value = el.max;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    await page.waitForSelector(jump, { timeout: 10_000 });
    const label = await page.textContent(jump);
    await page.locator(jump).focus();
    await page.keyboard.press('Enter');
    const seconds = (us) => `${Math.floor(us / 1e6)}.${String(Math.floor((us % 1e6) / 1e3)).padStart(3, '0')} s`;
    await until(page, 'the moment it broke', async () => label.includes(seconds(await simTimeUs(page))));
    assert((await states(page))['leader-completeness'] === 'violated', 'not violated at its own moment');
    assert((await page.getAttribute('[data-testid=lin-verdict]', 'data-linearizable')) !== null, 'no verdict');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('safety: bug mode: pick apply-before-commit, find the violation, the panel shows it, rewind to just before it', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&speed=1', { viewport: { width: 1280, height: 900 } });
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    await showLearn(page);
    const options = await page.$$eval('[data-testid=bug-select] option', (os) => os.map((o) => o.value));
    const expected = ['none', 'commit-previous-term', 'vote-without-log-check', 'no-randomized-timeout', 'forget-vote-on-restart', 'apply-before-commit'];
    assert(JSON.stringify([...options].sort()) === JSON.stringify([...expected].sort()), `options: ${options}`);
    await page.selectOption('[data-testid=bug-select]', 'apply-before-commit');
    await until(page, 'the bug on', async () => (await page.inputValue('[data-testid=bug-select]')) === 'apply-before-commit');
    // Its prepared scenario, loaded from the keyboard.
    await page.locator('[data-testid=bug-scenario]').focus();
    await page.keyboard.press('Enter');
    await until(page, 'the scenario', async () => (await page.getAttribute('[data-testid=scenario]', 'data-name').catch(() => null)) === 'bug-apply-before-commit');
    assert((await page.inputValue('[data-testid=bug-select]')) === 'apply-before-commit', 'the scenario does not show its bug');
    await page.click('[data-testid=find-violation]');
    const result = await until(page, 'the hunt to find it', async () => page.$('[data-testid=hunt-result][data-state=found]'));
    assert(result, 'no result');
    assert((await page.getAttribute('[data-testid=play-pause]', 'data-state')) === 'paused', 'not paused at it');
    await until(page, 'state machine safety violated', async () => (await states(page))['state-machine-safety'] === 'violated');
    const text = await page.textContent('[data-testid=hunt-result]');
    assert(text.includes('State Machine Safety') && text.includes('§5.4.3'), `result: ${text}`);
    const marked = await page.$$eval('[data-testid=node][data-violation=true]', (ns) => ns.map((n) => n.dataset.nodeId));
    assert(marked.length >= 1, 'no server marked');
    await page.screenshot({ path: path.join(artifacts, 'hunt-found-1280.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('[data-testid=hunt-result]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'hunt-found-390.png') });
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.click('[data-testid=rewind-before]');
    await until(page, 'held again', async () => (await states(page))['state-machine-safety'] === 'held');
    assert((await page.$('[data-testid=in-past]')) !== null, 'not in the past');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('safety: a history that is not linearizable: the panel lists the operations and the space-time diagram marks them', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=1&scenario=bug-apply-before-commit&speed=1', { viewport: { width: 1280, height: 900 } });
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    await showLearn(page);
    await page.click('[data-testid=play-pause]');
    await until(page, 'the verdict: not linearizable', async () =>
      (await page.getAttribute('[data-testid=lin-verdict]', 'data-linearizable')) === 'false');
    await pause(page);
    const listed = await page.$$eval('[data-testid=lin-op]', (os) => os.map((o) => o.textContent));
    assert(listed.length === 2 && listed.some((t) => t.includes('put(x, 1)')) && listed.some((t) => t.includes('get(x)')), `listed: ${listed}`);
    const bars = await page.$$eval('[data-testid=lin-op-bar]', (bs) => bs.map((b) => `${b.dataset.client}/${b.dataset.req}`));
    assert(bars.join() === '1/1,2/1', `bars on the clients' lane: ${bars}`);
    await page.locator('[data-testid=spacetime-panel]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(artifacts, 'lin-offending.png') });
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('safety: bug mode: the hunt shows its progress and can be stopped', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&speed=1', { viewport: { width: 390, height: 844 } });
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    await showLearn(page);
    await page.click('[data-testid=find-violation]');
    const us = await until(page, 'progress', async () => Number(await page.getAttribute('[data-testid=hunt-progress]', 'data-us').catch(() => 0)));
    assert(us > 0, 'no progress');
    await page.click('[data-testid=hunt-stop]');
    await page.waitForSelector('[data-testid=find-violation]', { timeout: 10_000 });
    assert((await page.$('[data-testid=hunt-progress]')) === null, 'still hunting');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });
};
