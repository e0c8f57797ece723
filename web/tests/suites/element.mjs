// Embedding: the <raft-playground> element (any number on a page, shadow DOM, attributes,
// visibility, host events), the iframe mode (?embed=1: events and commands by postMessage,
// 320x240), and the build served from other paths and another origin.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDir } from '../static-server.mjs';
import { artifacts, assert, test, until, WALL_TIMEOUT_MS } from '../lib.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const distDir = path.resolve(process.env.DIST_DIR ?? path.join(here, '../../../dist'));

/** A host page with its own (hostile) styles, served at `url` by routing. */
async function hostPage(context, url, body, { viewport } = {}) {
  const page = await context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  const problems = [];
  page.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()}`));
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>host</title>
    <style>body{font:40px/1 Georgia,serif;margin:0} button{font-size:40px!important;color:red!important}
    svg{display:none} .playground{display:none}</style></head><body>${body}
    <script>window.events=[];for(const t of ['raft-leader','raft-commit','raft-violation','raft-scenario-end'])
      document.addEventListener(t,e=>events.push({id:e.target.id,type:e.type,detail:e.detail}));
      addEventListener('message',e=>{if(e.data&&e.data.source==='raft-playground')events.push({id:'frame',type:e.data.type,version:e.data.version,detail:e.data.detail})});</script>
    </body></html>`;
  await page.route(url, (r) => r.fulfill({ contentType: 'text/html', body: html }));
  await page.goto(url, { waitUntil: 'load', timeout: WALL_TIMEOUT_MS });
  return { page, problems };
}

const time = (loc) => loc.locator('[data-testid=sim-time]').getAttribute('data-us').then(Number);
const nodes = (loc) =>
  loc.locator('[data-testid=node]').evaluateAll((ns) => ns.map((n) => JSON.stringify({ ...n.dataset })));

export default async function element(context, baseUrl) {
  // The same build from another origin, under /a/b/: a CDN-like folder.
  const cdn = await serveDir(distDir, '/a/b/');
  const origin = new URL(baseUrl).origin;
  try {
    await test('element: two <raft-playground> elements and an iframe run independently, from another origin and path', async () => {
      const { page, problems } = await hostPage(
        context,
        `${origin}/blog/post.html`,
        `<script type="module" src="${cdn.url}raft-playground.js"></script>
         <raft-playground id="a" seed="3" size="3" autoplay speed="1" height="300"></raft-playground>
         <raft-playground id="b" seed="4" size="5" height="300"></raft-playground>
         <iframe id="f" style="width:480px;height:320px" src="${baseUrl}index.html?embed=1&seed=5&size=3&speed=1"></iframe>`,
      );
      const a = page.locator('raft-playground#a');
      const b = page.locator('raft-playground#b');
      await until(page, 'both elements drawn', async () =>
        (await a.locator('[data-testid=node]').count()) === 3 && (await b.locator('[data-testid=node]').count()) === 5);
      assert(await page.evaluate(() => document.querySelector('#a').shadowRoot !== null), 'no open shadow root');
      // The host's styles stay out: its 40px buttons and hidden svgs.
      const inside = await a.locator('[data-testid=play-pause]').evaluate((el) => getComputedStyle(el).fontSize);
      assert(inside !== '40px', `the host's button style leaked in (${inside})`);
      assert(await a.locator('[data-testid=cluster]').isVisible(), "the host's svg rule hid the ring");
      // A plays (autoplay), B waits (no autoplay): their clocks are their own.
      await until(page, 'A to run', async () => (await time(a)) > 300_000);
      assert((await time(b)) === 0, 'B moved without autoplay');
      assert((await a.locator('[data-testid=step-tick]').count()) === 0, 'minimal controls show the tick button');
      assert((await a.locator('[data-testid=side-panel]').count()) === 0, 'minimal controls show the side panel');
      // Host events with the documented shape.
      const leader = await until(page, 'a raft-leader event from A', async () =>
        (await page.evaluate(() => events)).find((e) => e.id === 'a' && e.type === 'raft-leader'));
      assert(Number.isInteger(leader.detail.node) && Number.isInteger(leader.detail.term), JSON.stringify(leader));
      const commit = await until(page, 'a raft-commit event from A', async () =>
        (await page.evaluate(() => events)).find((e) => e.id === 'a' && e.type === 'raft-commit'));
      assert(commit.detail.index >= 1 && commit.detail.term >= 1, JSON.stringify(commit));
      // Acting on A leaves B alone.
      const before = await nodes(b);
      await a.locator('[data-testid=play-pause]').click();
      await a.locator('[data-testid=node][data-node-id="1"]').click({ button: 'right' });
      await a.locator('[data-testid=node-menu] [data-action=crash]').click();
      await until(page, 'S1 of A crashed', async () =>
        (await a.locator('[data-testid=node][data-node-id="1"]').getAttribute('data-alive')) === 'false');
      assert(JSON.stringify(await nodes(b)) === JSON.stringify(before), "acting on A changed B's servers");
      // Methods: B plays and pauses on command.
      await page.evaluate(() => document.querySelector('#b').play());
      await until(page, 'B to run after play()', async () => (await time(b)) > 0);
      await page.evaluate(() => document.querySelector('#b').pause());
      await until(page, 'B paused', async () =>
        (await b.locator('[data-testid=play-pause]').getAttribute('data-state')) === 'paused');
      // The iframe is the third world, and tells its parent.
      const frame = page.frameLocator('#f');
      await until(page, 'the iframe drawn', async () => (await frame.locator('[data-testid=node]').count()) === 3);
      const fromFrame = await until(page, 'a leader message from the iframe', async () =>
        (await page.evaluate(() => events)).find((e) => e.id === 'frame' && e.type === 'leader'));
      assert(fromFrame.version === 1 && Number.isInteger(fromFrame.detail.node), JSON.stringify(fromFrame));
      await page.screenshot({ path: path.join(artifacts, 'element-host.png'), fullPage: true });
      assert(problems.length === 0, problems.join('\n'));
      await page.close();
    });

    await test('element: attributes take effect (scenario, controls=none, lang=zh), and a violation and the end are told', async () => {
      const { page, problems } = await hostPage(
        context,
        `${origin}/course/chapter.html`,
        `<script type="module" src="${baseUrl}raft-playground.js"></script>
         <raft-playground id="c" seed="1" size="3" height="320"></raft-playground>`,
      );
      const c = page.locator('raft-playground#c');
      await until(page, 'C drawn', async () => (await c.locator('[data-testid=node]').count()) === 3);
      await page.evaluate(() => {
        const el = document.querySelector('#c');
        el.setAttribute('scenario', 'figure8-commit-previous-term');
        el.setAttribute('controls', 'none');
        el.setAttribute('lang', 'zh');
        el.setAttribute('speed', '1');
        el.setAttribute('autoplay', '');
      });
      await until(page, 'the scenario loaded', async () =>
        (await c.locator('[data-testid=node]').count()) === 5 && (await c.locator('[data-testid=transport]').count()) === 0);
      assert((await c.locator('[data-testid=playground]').getAttribute('lang')) === 'zh-Hans', 'lang=zh did not take effect');
      if ((await c.locator('[data-testid=banner]').count()) > 0) {
        assert(false, `a banner: ${await c.locator('[data-testid=banner]').textContent()}`);
      }
      const violation = await until(page, 'a raft-violation event', async () =>
        (await page.evaluate(() => events)).find((e) => e.id === 'c' && e.type === 'raft-violation'));
      assert(typeof violation.detail.property === 'string' && violation.detail.property.length > 0, JSON.stringify(violation));
      const end = await until(page, 'a raft-scenario-end event', async () =>
        (await page.evaluate(() => events)).find((e) => e.id === 'c' && e.type === 'raft-scenario-end'));
      assert(end.detail.scenario === 'figure8-commit-previous-term', JSON.stringify(end));
      assert(problems.length === 0, problems.join('\n'));
      await page.close();
    });

    await test('element: off screen it stops, seen again it goes on', async () => {
      const { page, problems } = await hostPage(
        context,
        `${origin}/long/page.html`,
        `<script type="module" src="${baseUrl}raft-playground.js"></script>
         <raft-playground id="top" seed="2" size="3" autoplay speed="1" height="240"></raft-playground>
         <div style="height:3000px"></div>
         <raft-playground id="far" seed="2" size="3" autoplay speed="1" height="240"></raft-playground>`,
        { viewport: { width: 800, height: 600 } },
      );
      const top = page.locator('raft-playground#top');
      const far = page.locator('raft-playground#far');
      await until(page, 'both drawn', async () => (await far.locator('[data-testid=node]').count()) === 3);
      // The visible one runs a good while; the far one does not move meanwhile.
      const farStart = await time(far);
      const t0 = await time(top);
      await until(page, 'the visible one to run 500 ms', async () => (await time(top)) > t0 + 500_000);
      assert((await time(far)) === farStart, `the off-screen element ran (${farStart} -> ${await time(far)})`);
      // Scrolled into view it goes on; the top one, now off screen, stops.
      await far.scrollIntoViewIfNeeded();
      const f0 = await time(far);
      await until(page, 'the far one to run once seen', async () => (await time(far)) > f0 + 300_000);
      const topStopped = await time(top);
      const f1 = await time(far);
      await until(page, 'the far one to run on', async () => (await time(far)) > f1 + 300_000);
      assert((await time(top)) === topStopped, 'the scrolled-away element kept running');
      assert((await top.locator('[data-testid=play-pause]').getAttribute('data-state')) === 'playing',
        'off screen is not a pause: it must resume where it was');
      assert(problems.length === 0, problems.join('\n'));
      await page.close();
    });

    await test('iframe: commands by postMessage; foreign messages are ignored without an error', async () => {
      const { page, problems } = await hostPage(
        context,
        `${origin}/frame/host.html`,
        `<iframe id="f" style="width:600px;height:400px" src="${baseUrl}index.html?embed=1&seed=8&size=3&speed=1"></iframe>`,
      );
      const frame = page.frameLocator('#f');
      const f = page.frames().find((x) => x.url().includes('embed=1'));
      const state = () => frame.locator('[data-testid=play-pause]').getAttribute('data-state');
      await until(page, 'the iframe playing', async () => (await state()) === 'playing');
      const post = (msg) => page.evaluate((m) => document.querySelector('#f').contentWindow.postMessage(m, '*'), msg);
      for (const junk of [{ foo: 1 }, 'pause', null, 42, { target: 'raft-playground', type: 'explode' },
        { target: 'other', type: 'pause' }, { target: 'raft-playground', type: 'load' }]) {
        await post(junk);
      }
      await post({ target: 'raft-playground', type: 'pause' });
      await until(page, 'paused by command', async () => (await state()) === 'paused');
      await post({ target: 'raft-playground', type: 'play' });
      await until(page, 'playing by command', async () => (await state()) === 'playing');
      await post({ target: 'raft-playground', type: 'load', scenario: 'partition-3-2' });
      await until(page, 'the scenario loaded by command', async () => (await frame.locator('[data-testid=node]').count()) === 5);
      const full = await frame.locator('[data-testid=open-full]').getAttribute('href');
      assert(full.includes('scenario=partition-3-2') && !full.includes('embed='), `open in full: ${full}`);
      assert(f, 'no iframe frame');
      assert(problems.length === 0, problems.join('\n'));
      await page.close();
    });

    await test('iframe: at 320x240 the cluster fits with no sideways scroll; the build works from / and /a/b/', async () => {
      const root = await serveDir(distDir, '/');
      try {
        for (const base of [root.url, cdn.url]) {
          const page = await context.newPage();
          await page.setViewportSize({ width: 320, height: 240 });
          const problems = [];
          page.on('pageerror', (e) => problems.push(e.message));
          await page.goto(`${base}index.html?embed=1&seed=3&size=5`, { waitUntil: 'load', timeout: WALL_TIMEOUT_MS });
          await until(page, 'drawn', async () => (await page.locator('[data-testid=node]').count()) === 5);
          const [sw, cw] = await page.evaluate(() => [document.scrollingElement.scrollWidth, document.scrollingElement.clientWidth]);
          assert(sw <= cw, `sideways scroll at 320 px: ${sw} > ${cw}`);
          const box = await page.locator('[data-testid=cluster]').boundingBox();
          assert(box && box.height >= 100 && box.y + box.height <= 241, `the ring does not fit: ${JSON.stringify(box)}`);
          assert(await page.locator('[data-testid=play-pause]').isVisible(), 'no play button');
          if (base === root.url) await page.screenshot({ path: path.join(artifacts, 'embed-320x240.png') });
          assert(problems.length === 0, problems.join('\n'));
          await page.close();
        }
      } finally {
        await root.close();
      }
    });
  } finally {
    await cdn.close();
  }
}
