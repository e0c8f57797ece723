// Embedding: several playgrounds on one page, each with its own options, run independently.
import { assert, test, until, WALL_TIMEOUT_MS } from '../lib.mjs';

export default async function embedding(context, baseUrl) {
  await test('two playgrounds on one page run independently', async () => {
    const index = await (await fetch(baseUrl + 'index.html')).text();
    const hosts =
      '<div data-raft-playground data-options="?seed=3&size=3"></div>' +
      '<div data-raft-playground data-options="?seed=4&size=7&paused"></div>';
    const html = index.replace(/<div id="app">[\s\S]*?<\/div>/, hosts);
    assert(html !== index, 'the built index.html has no <div id="app"> to replace');
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    await page.route(baseUrl + 'two.html', (route) => route.fulfill({ contentType: 'text/html', body: html }));
    await page.goto(baseUrl + 'two.html', { waitUntil: 'load', timeout: WALL_TIMEOUT_MS });
    const [first, second] = [0, 1].map((i) => page.locator('[data-testid=playground]').nth(i));
    await until(page, 'two playgrounds', async () => (await page.locator('[data-testid=playground]').count()) === 2);
    assert((await first.locator('[data-testid=node]').count()) === 3, 'the first playground is not 3 servers');
    assert((await second.locator('[data-testid=node]').count()) === 7, 'the second playground is not 7 servers');
    const time = (p) => p.locator('[data-testid=sim-time]').getAttribute('data-us').then(Number);
    // The first runs, the second was asked to start paused: their clocks are their own.
    await until(page, 'the first playground to run', async () => (await time(first)) > 200_000);
    assert((await time(second)) === 0, 'the paused playground moved');
    // Crashing S1 in one leaves S1 of the other alone.
    await first.locator('[data-testid=node][data-node-id="1"]').dispatchEvent('click');
    await first.locator('[data-testid=server-menu] [data-action=crash]').click();
    await until(page, 'S1 of the first to crash', async () =>
      (await first.locator('[data-testid=node][data-node-id="1"]').getAttribute('data-alive')) === 'false');
    assert(
      (await second.locator('[data-testid=node][data-node-id="1"]').getAttribute('data-alive')) === 'true',
      'crashing S1 in one playground crashed it in the other',
    );
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });
}
