// The Learn menu's chapters: each one walked to its end with Next, its try-it task done
// by keys and the world's checker, Back restoring the previous step exactly, and a link
// with chapter and step landing there.
import path from 'node:path';
import { artifacts, assert, leaderOf, nodeStates, open, pause, simTimeUs, test, until } from '../lib.mjs';

const SHIPPED = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

const reader = (page) =>
  page
    .$eval('[data-testid=chapter-open]', (r) => ({
      chapter: Number(r.dataset.chapter),
      step: Number(r.dataset.step),
      highlight: r.dataset.highlight,
    }))
    .catch(() => null);

/** Everything a step shows of the world: the time, the servers and every log entry. */
const worldState = async (page) => ({
  t: await simTimeUs(page),
  nodes: await nodeStates(page),
  log: await page.$$eval('[data-testid=log-entry]', (es) =>
    es.map((e) => `${e.dataset.nodeId}/${e.dataset.index}:${e.dataset.term}:${e.dataset.committed}`),
  ),
});

async function openLearn(page) {
  await page.click('[data-testid=panel-tab][data-panel=learn]');
  await page.waitForSelector('[data-testid=learn]', { state: 'visible' });
}

async function openChapter(page, n) {
  if ((await page.$('[data-testid=chapter]')) === null) await page.click('[data-testid=learn]');
  await page.click(`[data-testid=chapter][data-chapter="${n}"]`);
  await until(page, `chapter ${n} open`, async () => (await reader(page))?.chapter === n);
}

async function next(page) {
  const { step } = await reader(page);
  await page.click('[data-testid=chapter-next]');
  await until(page, `step ${step + 1}`, async () => (await reader(page))?.step === step + 1);
}

async function back(page) {
  const { step } = await reader(page);
  await page.click('[data-testid=chapter-back]');
  await until(page, `step ${step - 1}`, async () => (await reader(page))?.step === step - 1);
}

/** Selects server `id` with its digit key and presses `key` (the page's shortcuts). */
async function act(page, id, key) {
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press(String(id));
  await page.keyboard.press(key);
}

/** Whether the caption is wholly in the window and part of the highlighted region shows outside it. */
const bothInView = (page) =>
  page.evaluate(() => {
    const reader = document.querySelector('[data-testid=chapter-open]').getBoundingClientRect();
    const mark = document.querySelector('[data-chapter-highlight]');
    const hl = mark.getBoundingClientRect();
    const readerIn = reader.top >= 0 && reader.bottom <= innerHeight + 1;
    if (mark.closest('[data-testid=chapter-open]')) return readerIn;
    const above = Math.min(hl.bottom, reader.top) - Math.max(hl.top, 0);
    const beside = hl.right <= reader.left || hl.left >= reader.right;
    return readerIn && hl.bottom > 0 && hl.top < innerHeight && (above > 40 || beside);
  });

const taskDone = (page) => page.getAttribute('[data-testid=task]', 'data-done');

async function play(page) {
  if ((await page.getAttribute('[data-testid=play-pause]', 'data-state')) !== 'playing') {
    await page.click('[data-testid=play-pause]');
  }
}

/** Crashes `follower`, sends the leader a write and plays until the leader commits it. */
async function writeWithFollowerDown(page, leader, follower) {
    await act(page, follower.id, 'c');
    await act(page, leader.id, 'q');
    await play(page);
    await until(page, 'the write committed on the leader', async () => {
      const l = (await nodeStates(page)).find((x) => x.id === leader.id);
      return Number(l.commit) > Number(leader.commit);
    });
    await pause(page);
}

/** The try-it task of chapter `n`, done by keys (the world is paused at the step). */
async function doTask(page, n) {
  const nodes = await nodeStates(page);
  const leader = leaderOf(nodes);
  assert(leader, `chapter ${n}: no leader at the task's step`);
  const follower = nodes.find((x) => x.id !== leader.id && x.alive === 'true');
  if (n === 1) {
    await act(page, leader.id, 'c');
  } else if (n === 2) {
    await act(page, leader.id, 'c');
    await act(page, follower.id, 'c');
  } else if (n === 3) {
    await act(page, follower.id, 'c');
    assert((await taskDone(page)) === 'false', 'chapter 3: done before any write');
    await act(page, leader.id, 'q');
  } else if (n === 4) {
    await writeWithFollowerDown(page, leader, follower);
    assert((await taskDone(page)) === 'false', 'chapter 4: done before the follower is back');
    await act(page, follower.id, 'r');
  } else if (n === 5) {
    await act(page, follower.id, 'i');
    await act(page, leader.id, 'q');
    await play(page);
    await until(page, "the cut-off follower's term to climb", async () => {
      const f = (await nodeStates(page)).find((x) => x.id === follower.id);
      return Number(f.term) >= Number(leader.term) + 2;
    });
    await pause(page);
    assert((await taskDone(page)) === 'false', 'chapter 5: done while still cut off');
    await page.evaluate(() => document.activeElement?.blur());
    await page.keyboard.press('h');
  } else if (n === 9) {
    await writeWithFollowerDown(page, leader, follower);
    await act(page, leader.id, 's');
    assert((await taskDone(page)) === 'false', 'chapter 9: done before the follower is back');
    await act(page, follower.id, 'r');
  } else if (n === 10) {
    // C_new (S1, S2, S4) is committed: S3 is drawn retired, and S4 is a voter.
    assert((await page.getAttribute('[data-testid=node][data-node-id="3"]', 'data-retired')) === 'true', 'chapter 10: S3 not shown retired');
    assert((await page.getAttribute('[data-testid=node][data-node-id="4"]', 'data-config')) === 'voter', 'chapter 10: S4 not a voter');
    await act(page, leader.id, '-');
  } else if (n === 6) {
    // The bug alone breaks nothing; a write applied before it commits does.
    await page.selectOption('[data-testid=bug-select]', 'apply-before-commit');
    assert((await taskDone(page)) === 'false', 'chapter 6: done before any write');
    await act(page, leader.id, 'q');
    await play(page);
    await until(page, 'State Machine Safety violated in the panel', async () =>
      (await page.getAttribute('[data-testid=safety-property][data-property=state-machine-safety]', 'data-state')) === 'violated');
  } else if (n === 8) {
    // The write is in flight to the leader when it crashes: the client must retry.
    await act(page, leader.id, 'q');
    await act(page, leader.id, 'c');
    assert((await taskDone(page)) === 'false', 'chapter 8: done before the client retried');
  } else if (n === 11) {
    await act(page, leader.id, 'i');
    assert((await taskDone(page)) === 'false', 'chapter 11: done before the leader stepped down');
  } else if (n === 12) {
    // Batching and pipelining off by keyboard, the disk unchanged: commits far slower.
    for (const id of ['batching', 'switch-pipelining']) {
      await page.focus(`[data-testid=${id}]`);
      await page.keyboard.press('Space');
      await until(page, `${id} off`, async () => !(await page.isChecked(`[data-testid=${id}]`)));
    }
    assert((await taskDone(page)) === 'false', 'chapter 12: done before the run went on');
  } else if (n === 7) {
    await act(page, leader.id, 'i');
    assert((await taskDone(page)) === 'false', 'chapter 7: done before any write');
    await act(page, leader.id, 'q');
  }
  await play(page);
  await until(page, `chapter ${n}: the task marked done`, async () => (await taskDone(page)) === 'true');
  await pause(page);
}

export default async function chapters(context, baseUrl) {
  await test('chapters: the Learn menu lists the chapters; each is walked to its end and its task done', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=5&speed=1');
    await openLearn(page);
    await page.click('[data-testid=learn]');
    const listed = await page.$$eval('[data-testid=chapter]', (cs) => cs.map((c) => Number(c.dataset.chapter)));
    assert(listed.join() === SHIPPED.join(), `chapters listed: ${listed}`);
    for (const n of SHIPPED) {
      await openChapter(page, n);
      assert((await reader(page)).step === 1, `chapter ${n} opens at step 1`);
      assert((await page.getAttribute('[data-testid=play-pause]', 'data-state')) === 'paused', 'a step is paused');
      for (;;) {
        const r = await reader(page);
        const marked = await page.$$eval('[data-chapter-highlight]', (es) => es.length);
        assert(marked === 1, `chapter ${n} step ${r.step}: ${marked} highlighted regions`);
        // A person reads the caption while looking at what it talks about: both are in the window.
        await until(page, `chapter ${n} step ${r.step}: the caption and the ${r.highlight} in view together`, () => bothInView(page));
        assert((await page.getAttribute('[data-testid=play-pause]', 'data-state')) === 'paused', 'a step plays by itself');
        if (await page.$('[data-testid=task]')) {
          assert((await taskDone(page)) === 'false', `chapter ${n}: a task done before anything was done`);
          await doTask(page, n);
        }
        if (await page.isDisabled('[data-testid=chapter-next]')) break;
        await next(page);
      }
      await page.screenshot({ path: path.join(artifacts, `chapter-${n}.png`) });
    }
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('chapters: Back restores the previous step exactly, whatever was done in between', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=7');
    await openLearn(page);
    await openChapter(page, 3);
    await next(page);
    const before = await worldState(page);
    await next(page);
    // Act and play on the later step: Back still shows the earlier step as it was.
    const leader = leaderOf(await nodeStates(page));
    await act(page, leader.id, 'c');
    await play(page);
    await until(page, 'time to pass', async () => (await simTimeUs(page)) > before.t + 50_000);
    await back(page);
    const after = await worldState(page);
    assert(JSON.stringify(after) === JSON.stringify(before), `Back did not restore the step:\n${JSON.stringify(before)}\n${JSON.stringify(after)}`);
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });

  await test('chapters: the step is in the link, and the link opens there', async () => {
    const { page, problems } = await open(context, baseUrl, '?seed=9');
    await openLearn(page);
    await openChapter(page, 4);
    await next(page);
    await next(page);
    const state = await worldState(page);
    await until(page, 'the address to name the step', async () => {
      const q = new URL(page.url()).searchParams;
      return q.get('chapter') === '4' && q.get('step') === '3';
    });
    const again = await context.newPage();
    await again.goto(page.url(), { waitUntil: 'load' });
    await until(again, 'the chapter open at its step', async () => {
      const r = await reader(again);
      return r?.chapter === 4 && r.step === 3;
    });
    const there = await worldState(again);
    assert(JSON.stringify(there) === JSON.stringify(state), 'the link shows another state');
    // A bare link lands on the step's moment too.
    await again.goto(baseUrl + '?seed=9&chapter=2&step=3&lang=zh', { waitUntil: 'load' });
    await until(again, 'chapter 2 at step 3', async () => {
      const r = await reader(again);
      return r?.chapter === 2 && r.step === 3;
    });
    const caption = await again.textContent('[data-testid=chapter-open]');
    assert(/[\u4e00-\u9fff]/.test(caption), `the Chinese caption: ${caption}`);
    for (const width of [390, 1280]) {
      await again.setViewportSize({ width, height: 844 });
      await again.screenshot({ path: path.join(artifacts, `chapter-reader-${width}.png`), fullPage: false });
    }
    await again.close();
    assert(problems.length === 0, problems.join('\n'));
    await page.close();
  });
}
