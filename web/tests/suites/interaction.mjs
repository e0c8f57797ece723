// Interaction beyond a click: long press / right-click / Shift+F10 for a server's menu,
// dropping messages from the keyboard, cutting single links, dragging servers between
// the partition editor's groups (mouse and touch).
import path from 'node:path';
import {
  artifacts, assert, clickSvg, leaderOf, nodeStates, open, pause, simTimeUs, test, until, WALL_TIMEOUT_MS,
} from '../lib.mjs';

const node = (id) => `[data-testid=node][data-node-id="${id}"]`;
const menuOf = (id) => `[data-testid=node-menu][data-node-id="${id}"]`;
const linkOf = (a, b) => `[data-testid=link][data-from="${Math.min(a, b)}"][data-to="${Math.max(a, b)}"]`;

/** The centre of an element in page coordinates. */
async function centre(page, selector) {
  await page.locator(selector).first().scrollIntoViewIfNeeded();
  const box = await page.locator(selector).first().boundingBox();
  assert(box, `${selector} has no box`);
  return { x: Math.round(box.x + box.width / 2), y: Math.round(box.y + box.height / 2) };
}

/** Real touch input through the DevTools protocol (pointerType "touch"). */
async function touchScreen(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setTouchEmulationEnabled', { enabled: true, maxTouchPoints: 1 });
  const send = (type, points) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points });
  return {
    down: ({ x, y }) => send('touchStart', [{ x, y }]),
    move: ({ x, y }) => send('touchMove', [{ x, y }]),
    up: () => send('touchEnd', []),
    async tap(at) {
      await send('touchStart', [at]);
      await page.waitForTimeout(60);
      await send('touchEnd', []);
    },
    async longPress(at, ms = 800) {
      await send('touchStart', [at]);
      await page.waitForTimeout(ms);
    },
    detach: () => cdp.detach(),
  };
}

/** Records the pointerType of every pointerdown on the page. */
const recordPointerTypes = (page) =>
  page.evaluate(() => {
    window.__pointerTypes = [];
    document.addEventListener('pointerdown', (e) => window.__pointerTypes.push(e.pointerType), true);
  });

const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? { ...el.dataset, tag: el.tagName, label: el.getAttribute('aria-label') ?? '' } : {};
  });

/** Presses Tab until the focused element has data-testid `testid` (keyboard only). */
async function tabTo(page, testid, limit = 80) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f.testid === testid) return f;
  }
  throw new Error(`Tab never reached a [data-testid=${testid}]`);
}

/**
 * Steps the (paused) run `steps` times from inside the page, looking at the messages
 * drawn after each step: how many new ones ran between `a` and `b`, and how many left `leader`.
 */
const stepAndWatch = (page, steps, leader, a, b) =>
  page.evaluate(
    async ([steps, leader, a, b]) => {
      // Messages already in flight were sent before: only new ones count.
      const before = new Set([...document.querySelectorAll('[data-testid=message]')].map((m) => m.dataset.msgId));
      const seen = { crossings: new Set(), fromLeader: new Set() };
      const step = document.querySelector('[data-testid=step]');
      for (let i = 0; i < steps; i++) {
        step.click();
        await new Promise((r) => setTimeout(r, 0));
        for (const m of document.querySelectorAll('[data-testid=message]')) {
          const { msgId, from, to } = m.dataset;
          if (before.has(msgId)) continue;
          if ([from, to].sort().join() === [a, b].sort().join()) seen.crossings.add(msgId);
          if (from === leader) seen.fromLeader.add(msgId);
        }
      }
      return { crossings: seen.crossings.size, fromLeader: seen.fromLeader.size };
    },
    [steps, String(leader), String(a), String(b)],
  );

export default async (context, baseUrl) => {
  await test('interaction: touch: a tap selects a server, a long press opens its menu, crash from the menu', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&speed=1', { viewport: { width: 360, height: 760 } });
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    await recordPointerTypes(page);
    const touch = await touchScreen(page);
    // A short tap: selects S3 and opens no menu.
    await touch.tap(await centre(page, `${node(3)} .body`));
    // The inspector is in the closed bottom sheet on a phone: it is there, not shown.
    await page.waitForSelector('[data-testid=inspector][data-node-id="3"]', { state: 'attached', timeout: 10_000 });
    await page.waitForTimeout(700);
    assert((await page.$('[data-testid=node-menu]')) === null, 'a short tap opened the menu');
    // A long press on S2.
    await touch.longPress(await centre(page, `${node(2)} .body`));
    await page.waitForSelector(menuOf(2), { state: 'visible', timeout: 10_000 });
    await touch.up();
    const types = await page.evaluate(() => window.__pointerTypes);
    assert(types.length >= 2 && types.every((t) => t === 'touch'), `pointer types: ${types}`);
    assert((await page.getAttribute(node(2), 'aria-pressed')) === 'true', 'the long press did not select S2');
    await page.waitForTimeout(300);
    assert(await page.isVisible(menuOf(2)), 'the menu closed when the finger lifted');
    const actions = await page.$$eval(`${menuOf(2)} button`, (bs) => bs.map((b) => b.dataset.action));
    assert(actions.join() === 'crash,restart,timeout,request,isolate,remove,transfer,snapshot', `menu items: ${actions}`);
    assert((await page.getAttribute(`${menuOf(2)} [data-action=restart]`, 'disabled')) !== null, 'restart enabled on a running server');
    assert((await focused(page)).action === 'crash', 'focus did not move into the menu');
    // The menu stays on screen: no sideways scrolling on a phone.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(width <= 360, `the page is ${width} px wide with the menu open`);
    await page.screenshot({ path: path.join(artifacts, 'node-menu-touch.png') });
    // Choose crash with a tap.
    await touch.tap(await centre(page, `${menuOf(2)} [data-action=crash]`));
    await until(page, 'S2 down', async () => (await nodeStates(page)).some((n) => n.id === '2' && n.alive === 'false'), 10_000);
    assert((await page.$('[data-testid=node-menu]')) === null, 'the menu stayed open after choosing');
    assert((await page.textContent('[data-testid=activity]')).includes('You crashed S2'), 'activity does not say S2 crashed');
    // A tap elsewhere closes the menu and does nothing else.
    await touch.longPress(await centre(page, `${node(2)} .body`));
    await page.waitForSelector(menuOf(2), { timeout: 10_000 });
    await touch.up();
    await touch.tap({ x: 20, y: 20 });
    await until(page, 'the menu to close on a tap elsewhere', async () => (await page.$('[data-testid=node-menu]')) === null, 10_000);
    await touch.detach();
    // The inspector's menu still works.
    await page.click('[data-testid=server-menu] [data-action=restart]');
    await until(page, 'S2 up again', async () => (await nodeStates(page)).some((n) => n.id === '2' && n.alive === 'true'), 10_000);
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('interaction: mouse: right-click opens the server menu, Escape and a click elsewhere close it', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&speed=1');
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    await page.click(`${node(4)} .body`, { button: 'right' });
    await page.waitForSelector(menuOf(4), { timeout: 10_000 });
    await page.keyboard.press('Escape');
    await until(page, 'Escape to close the menu', async () => (await page.$('[data-testid=node-menu]')) === null, 10_000);
    assert((await page.getAttribute(node(4), 'aria-pressed')) === 'true', 'Escape cleared the selection too');
    await page.click(`${node(4)} .body`, { button: 'right' });
    await page.waitForSelector(menuOf(4), { timeout: 10_000 });
    await page.mouse.click(5, 5);
    await until(page, 'a click elsewhere to close the menu', async () => (await page.$('[data-testid=node-menu]')) === null, 10_000);
    // A mouse button held still on a server opens it too.
    const at = await centre(page, `${node(1)} .body`);
    await page.mouse.move(at.x, at.y);
    await page.mouse.down();
    await page.waitForSelector(menuOf(1), { timeout: 10_000 });
    await page.mouse.up();
    await page.click(`${menuOf(1)} [data-action=timeout]`);
    await until(page, 'the menu to close', async () => (await page.$('[data-testid=node-menu]')) === null, 10_000);
    assert(
      (await page.textContent('[data-testid=activity]')).includes("You made S1's election timer run out"),
      'the menu item did nothing',
    );
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('interaction: keyboard: Shift+F10 on a focused server opens its menu, arrows and Enter choose', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&paused');
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    let f = await tabTo(page, 'node');
    while (f.nodeId !== '3') {
      await page.keyboard.press('Tab');
      f = await focused(page);
      assert(f.testid === 'node', `Tab left the servers before S3: ${JSON.stringify(f)}`);
    }
    await page.keyboard.press('Shift+F10');
    await page.waitForSelector(menuOf(3), { timeout: 10_000 });
    assert((await focused(page)).action === 'crash', 'focus is not on the first item');
    await page.keyboard.press('ArrowDown');
    assert((await focused(page)).action === 'timeout', 'ArrowDown did not skip the disabled Restart');
    await page.keyboard.press('End');
    assert(['remove', 'transfer', 'snapshot'].includes((await focused(page)).action), 'End did not reach the last enabled item');
    await page.keyboard.press('Escape');
    await until(page, 'Escape to close the menu', async () => (await page.$('[data-testid=node-menu]')) === null, 10_000);
    assert((await page.getAttribute(node(3), 'aria-pressed')) === 'true', 'Escape in the menu also cleared the selection');
    f = await focused(page);
    assert(f.testid === 'node' && f.nodeId === '3', `focus did not go back to S3: ${JSON.stringify(f)}`);
    await page.keyboard.press('Shift+F10');
    await page.waitForSelector(menuOf(3), { timeout: 10_000 });
    await page.keyboard.press('Enter');
    await until(page, 'S3 down', async () => (await nodeStates(page)).some((n) => n.id === '3' && n.alive === 'false'), 10_000);
    assert((await page.$('[data-testid=node-menu]')) === null, 'the menu stayed open');
    f = await focused(page);
    assert(f.testid === 'node' && f.nodeId === '3', `focus did not go back to S3 after choosing: ${JSON.stringify(f)}`);
    // The Menu key opens it too; Space presses an item (and does not start the clock).
    await page.keyboard.press('ContextMenu');
    await page.waitForSelector(menuOf(3), { timeout: 10_000 });
    assert((await focused(page)).action === 'restart', 'focus is not on Restart, the first item a crashed server has');
    await page.keyboard.press(' ');
    await until(page, 'S3 up', async () => (await nodeStates(page)).some((n) => n.id === '3' && n.alive === 'true'), 10_000);
    assert((await page.getAttribute('[data-testid=play-pause]', 'data-state')) === 'paused', 'Space in the menu toggled play');
    // Tab out of the menu closes it.
    await page.keyboard.press('Shift+F10');
    await page.waitForSelector(menuOf(3), { timeout: 10_000 });
    await page.keyboard.press('End');
    await page.keyboard.press('Tab');
    await until(page, 'Tab to close the menu', async () => (await page.$('[data-testid=node-menu]')) === null, 10_000);
    // The help lists the new keys (asked from a button: Tab may have landed in a form field).
    await page.locator('[data-testid=play-pause]').focus();
    await page.keyboard.press('?');
    const help = await page.textContent('[data-testid=help]');
    for (const k of ['Shift+F10', '[ ]', 'drop the picked message']) assert(help.includes(k), `help does not list ${k}`);
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('interaction: keyboard: focus a message in flight and drop it, then pick one with ] and drop it with d', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&speed=1');
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    await until(page, 'a leader', async () => leaderOf(await nodeStates(page)));
    await pause(page);
    const stepUntilMessages = async () => {
      for (let i = 0; i < 300; i++) {
        if ((await page.$$('[data-testid=message]')).length >= 2) return;
        await page.keyboard.press('.');
      }
      throw new Error('no messages in flight after 300 steps');
    };
    await stepUntilMessages();
    const f = await tabTo(page, 'message', 120);
    assert(f.msgId, 'the focused message has no id');
    assert(
      /^[A-Za-z]+ S\d\u2192S\d term \d+.*, press Enter or Delete to drop$/.test(f.label),
      `aria-label: "${f.label}"`,
    );
    const el = `[data-testid=message][data-msg-id="${f.msgId}"]`;
    assert((await page.getAttribute(el, 'role')) === 'button', 'a message is not a button');
    assert((await page.getAttribute(el, 'data-picked')) === 'true', 'the focused message is not picked');
    const ring = await page.$eval(`${el} .hit`, (h) => [getComputedStyle(h).stroke, getComputedStyle(h).strokeWidth]);
    assert(ring[0] !== 'none' && ring[1] === '3px', `no visible focus on the message: ${ring}`);
    await page.screenshot({ path: path.join(artifacts, 'message-focused.png') });
    const t = await simTimeUs(page);
    await page.keyboard.press('Delete');
    await until(page, 'the message to be gone', async () => (await page.$(el)) === null, 10_000);
    assert((await page.$(`[data-testid=dropped-message][data-msg-id="${f.msgId}"]`)) !== null, 'no dropped mark');
    const said = await page.textContent('[data-testid=narration]');
    assert(said.startsWith(`You dropped ${f.type} S${f.from}\u2192S${f.to}`), `narration: ${said}`);
    assert((await simTimeUs(page)) === t, 'dropping moved time on');
    // ] picks a message (and focuses it); d drops it.
    await stepUntilMessages();
    await page.keyboard.press(']');
    const picked = await until(page, 'a picked message', () =>
      page.$$eval('[data-testid=message][data-picked=true]', (ms) => ms.map((m) => m.dataset.msgId)[0]),
    );
    assert((await focused(page)).msgId === picked, '] did not move focus to the picked message');
    await page.keyboard.press('d');
    await until(page, 'the picked message to be gone', async () =>
      (await page.$(`[data-testid=message][data-msg-id="${picked}"]`)) === null, 10_000);
    const activity = await page.textContent('[data-testid=activity]');
    assert((activity.match(/You dropped/g) ?? []).length === 2, `activity: ${activity}`);
    // Space on a focused message drops it too, and does not start the clock.
    await stepUntilMessages();
    const g = await tabTo(page, 'message', 120);
    await page.keyboard.press(' ');
    await until(page, 'Space to drop it', async () =>
      (await page.$(`[data-testid=message][data-msg-id="${g.msgId}"]`)) === null, 10_000);
    assert((await page.getAttribute('[data-testid=play-pause]', 'data-state')) === 'paused', 'Space on a message toggled play');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('interaction: links: cut the link between the leader and a follower, then mend it', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&speed=1');
    await page.waitForSelector('[data-testid=cluster]', { timeout: WALL_TIMEOUT_MS });
    const leader = await until(page, 'a leader', async () => leaderOf(await nodeStates(page)));
    const links = await page.$$eval('[data-testid=link]', (ls) => ls.map((l) => ({ ...l.dataset })));
    assert(links.length === 10, `${links.length} links for 5 servers`);
    assert(links.every((l) => Number(l.from) < Number(l.to) && l.cut === 'false'), JSON.stringify(links));
    // A follower next to the leader on the ring: the middle of that link is clear of other links.
    const follower = (Number(leader.id) % 5) + 1;
    const sel = linkOf(leader.id, follower);
    await pause(page);
    await clickSvg(page, sel);
    await until(page, 'the link to be cut', async () => (await page.getAttribute(sel, 'data-cut')) === 'true', 10_000);
    assert((await page.$$('[data-testid=link][data-cut=true]')).length === 1, 'more than one link cut');
    assert((await page.$$('.link.cut')).length === 1, 'the cut link is not drawn dashed');
    const [a, b] = [Math.min(leader.id, follower), Math.max(leader.id, follower)];
    assert(
      (await page.textContent('[data-testid=narration]')) === `You cut the link S${a}\u2013S${b} (both ways)`,
      'narration does not say the link was cut',
    );
    await page.screenshot({ path: path.join(artifacts, 'link-cut.png') });
    // Nothing crosses it: step through a good while of heartbeats to the other followers.
    const watched = await stepAndWatch(page, 400, leader.id, a, b);
    assert(watched.crossings === 0, `${watched.crossings} messages seen on the cut link`);
    assert(watched.fromLeader > 0, 'the leader sent nothing at all');
    // Mend it from the keyboard: Tab reaches the links, arrows move, Enter toggles.
    await page.focus(node(1));
    await page.keyboard.press('Shift+Tab');
    let f = await focused(page);
    assert(f.testid === 'link', `Shift+Tab from S1 is not on a link: ${JSON.stringify(f)}`);
    for (let i = 0; i < 10 && !(f.from === String(a) && f.to === String(b)); i++) {
      await page.keyboard.press('ArrowRight');
      f = await focused(page);
    }
    assert(f.from === String(a) && f.to === String(b), `arrows never reached link ${a}-${b}`);
    assert(f.label.includes('cut: press Enter to reconnect'), `label: ${f.label}`);
    await page.keyboard.press('Enter');
    await until(page, 'the link to be mended', async () => (await page.getAttribute(sel, 'data-cut')) === 'false', 10_000);
    assert((await page.$$('.link.cut')).length === 0, 'still drawn cut');
    assert(
      (await page.textContent('[data-testid=narration]')) === `You reconnected the link S${a}\u2013S${b}`,
      'narration does not say the link was mended',
    );
    const after = await stepAndWatch(page, 400, leader.id, a, b);
    assert(after.crossings > 0, 'no message on the mended link');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('interaction: one-way links: untick leader to follower (mouse), only that way is lost; Space mends it', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&speed=1&panel=faults');
    const leader = await until(page, 'a leader', async () => leaderOf(await nodeStates(page)));
    const follower = (Number(leader.id) % 5) + 1;
    const way = (from, to) => `[data-testid=way][data-from="${from}"][data-to="${to}"]`;
    assert((await page.$$('[data-testid=way]')).length === 20, 'not 20 directions for 5 servers');
    assert(await page.isChecked(way(leader.id, follower)), 'a direction starts cut');
    await pause(page);
    await page.click(way(leader.id, follower));
    await until(page, 'the way to be cut', async () => (await page.getAttribute(way(leader.id, follower), 'data-cut')) === 'true');
    assert(!(await page.isChecked(way(leader.id, follower))), 'the box stays ticked');
    assert(await page.isChecked(way(follower, leader.id)), 'the other way was cut too');
    const dir = await page.getAttribute(linkOf(leader.id, follower), 'data-cut-dir');
    assert(dir === (Number(leader.id) < follower ? 'forward' : 'backward'), `data-cut-dir ${dir}`);
    assert((await page.$$(`${linkOf(leader.id, follower)} [data-testid=link-gate]`)).length === 1, 'no bar across the one-way cut');
    const said = await page.textContent('[data-testid=narration]');
    assert(said === `You cut S${leader.id} \u2192 S${follower} (one way): S${follower} no longer hears S${leader.id}`, `narration: ${said}`);
    await page.screenshot({ path: path.join(artifacts, 'one-way-cut.png') });
    await page.click('[data-testid=play-pause]');
    // Playing: the follower stops hearing the leader, times out and asks it for a vote,
    // which crosses; nothing new goes the cut way.
    const seen = await page.evaluate(async ([l, f]) => {
      const before = new Set([...document.querySelectorAll('[data-testid=message]')].map((m) => m.dataset.msgId));
      const out = { cutWay: 0, otherWay: 0 };
      const deadline = performance.now() + 20_000;
      while (performance.now() < deadline && out.otherWay === 0) {
        await new Promise((r) => requestAnimationFrame(r));
        for (const m of document.querySelectorAll('[data-testid=message]')) {
          if (before.has(m.dataset.msgId)) continue;
          before.add(m.dataset.msgId);
          if (m.dataset.from === l && m.dataset.to === f) out.cutWay++;
          if (m.dataset.from === f && m.dataset.to === l) out.otherWay++;
        }
      }
      return out;
    }, [leader.id, String(follower)]);
    assert(seen.otherWay > 0, `nothing from S${follower} to S${leader.id}`);
    assert(seen.cutWay === 0, `${seen.cutWay} messages crossed the cut way`);
    // Keyboard: focus the box and press Space.
    await page.focus(way(leader.id, follower));
    await page.keyboard.press('Space');
    await until(page, 'the way to be mended', async () => (await page.getAttribute(way(leader.id, follower), 'data-cut')) === 'false');
    assert((await page.getAttribute(linkOf(leader.id, follower), 'data-cut-dir')) === 'none', 'still drawn cut');
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('interaction: partition editor: drag servers into group B (mouse and touch) and split', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&paused');
    await page.waitForSelector('[data-testid=partition-box]', { timeout: WALL_TIMEOUT_MS });
    const chip = (id) => `[data-testid=partition-chip][data-node-id="${id}"]`;
    const groupOf = (id) => page.getAttribute(`[data-testid=partition-group][data-node-id="${id}"]`, 'data-group');
    const inBox = (id) =>
      page.$eval(chip(id), (c) => c.closest('[data-testid=partition-box]')?.dataset.group);
    assert((await page.$$('[data-testid=partition-box] [data-testid=partition-chip]')).length === 5, 'not 5 chips');
    // Mouse: S3 to B, slowly, to see the drop target light up on the way.
    const from = await centre(page, `${chip(3)} .grip`);
    const to = await centre(page, '[data-testid=partition-box][data-group=B]');
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 8 });
    await until(page, 'group B to show it is the target', async () =>
      (await page.getAttribute('[data-testid=partition-box][data-group=B]', 'class')).includes('over'), 10_000);
    await page.mouse.up();
    await until(page, 'S3 in group B', async () => (await groupOf(3)) === 'B', 10_000);
    assert((await inBox(3)) === 'B', 'the S3 chip is not in the B box');
    // Let go outside both boxes: nothing moves.
    const s4 = await centre(page, `${chip(4)} .grip`);
    await page.mouse.move(s4.x, s4.y);
    await page.mouse.down();
    await page.mouse.move(s4.x, s4.y + 300, { steps: 5 });
    await page.mouse.up();
    await page.waitForTimeout(200);
    assert((await groupOf(4)) === 'A', 'a drop outside the boxes moved S4');
    // Touch: S5 to B.
    const touch = await touchScreen(page);
    const s5 = await centre(page, `${chip(5)} .grip`);
    const b = await centre(page, '[data-testid=partition-box][data-group=B]');
    await touch.down(s5);
    for (let i = 1; i <= 6; i++) {
      await touch.move({ x: Math.round(s5.x + ((b.x - s5.x) * i) / 6), y: Math.round(s5.y + ((b.y - s5.y) * i) / 6) });
      await page.waitForTimeout(20);
    }
    await touch.up();
    await touch.detach();
    await until(page, 'S5 in group B after a touch drag', async () => (await groupOf(5)) === 'B', 10_000);
    assert((await inBox(5)) === 'B', 'the S5 chip is not in the B box');
    await page.screenshot({ path: path.join(artifacts, 'partition-drag.png') });
    await page.click('[data-testid=partition-split]');
    await until(page, '6 links cut (2 x 3)', async () => (await page.$$('[data-testid=link][data-cut=true]')).length === 6, 10_000);
    const cut = await page.$$eval('[data-testid=link][data-cut=true]', (ls) => ls.map((l) => `${l.dataset.from}-${l.dataset.to}`).sort());
    assert(cut.join() === '1-3,1-5,2-3,2-5,3-4,4-5', `cut links: ${cut}`);
    assert((await page.$$('.link.cut')).length === 6, 'cut links not drawn dashed');
    // The keyboard path still works and keeps focus on the selector that moved.
    await page.focus('[data-testid=partition-group][data-node-id="3"]');
    await page.keyboard.press('ArrowUp');
    await until(page, 'S3 back in A', async () => (await groupOf(3)) === 'A', 10_000);
    assert((await inBox(3)) === 'A', 'the S3 chip did not move back to A');
    const f = await focused(page);
    assert(f.testid === 'partition-group' && f.nodeId === '3', `focus lost after moving S3: ${JSON.stringify(f)}`);
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('interaction: partition editor: three groups (drag to C, or choose C with the keyboard) split three ways', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7&paused&panel=faults');
    await page.waitForSelector('[data-testid=partition-box][data-group=C]', { timeout: WALL_TIMEOUT_MS });
    const chip = (id) => `[data-testid=partition-chip][data-node-id="${id}"]`;
    const groupOf = (id) => page.getAttribute(`[data-testid=partition-group][data-node-id="${id}"]`, 'data-group');
    // Mouse: S5 to C.
    const from = await centre(page, `${chip(5)} .grip`);
    const to = await centre(page, '[data-testid=partition-box][data-group=C]');
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 8 });
    await page.mouse.up();
    await until(page, 'S5 in group C', async () => (await groupOf(5)) === 'C', 10_000);
    // Keyboard: S3 and S4 to B with their selectors.
    for (const id of [3, 4]) {
      await page.focus(`[data-testid=partition-group][data-node-id="${id}"]`);
      await page.keyboard.press('ArrowDown');
      await until(page, `S${id} in group B`, async () => (await groupOf(id)) === 'B', 10_000);
    }
    const drafts = await page.$$eval('[data-testid=ring-region][data-kind=draft]', (rs) => rs.map((r) => `${r.dataset.group}:${r.dataset.nodes}`));
    assert(drafts.join() === 'B:3 4,C:5', `draft regions: ${drafts}`);
    await page.screenshot({ path: path.join(artifacts, 'partition-three-groups.png') });
    await page.click('[data-testid=partition-split]');
    await until(page, '8 links cut (2x2 + 2x1 + 2x1)', async () => (await page.$$('[data-testid=link][data-cut=true]')).length === 8, 10_000);
    const groups = await page.$$eval('[data-testid=ring-region][data-kind=split]', (rs) => rs.map((r) => r.dataset.nodes));
    assert(groups.join('|') === '1 2|3 4|5', `split regions: ${groups}`);
    const said = await page.textContent('[data-testid=narration]');
    assert(said === 'You split the network: {S1 S2} | {S3 S4} | {S5}', `narration: ${said}`);
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });
};
