// Browser tests for the key-value panel, membership changes and the batching switch.
// Run alone with `ONLY=kv-membership node browser.mjs` (after `cargo xtask dist`).
import path from 'node:path';
import { artifacts, assert, leaderOf, nodeStates, open, pause, playState, reveal, simTimeUs, test, until, WALL_TIMEOUT_MS } from '../lib.mjs';

/** The request rows of the page's client, newest first. */
const requests = (page) =>
  page.$$eval('[data-testid=kv-request][data-req]', (rs) =>
    rs.map((r) => ({
      req: r.dataset.req,
      status: r.dataset.status,
      result: r.dataset.result,
      steps: [...r.querySelectorAll('[data-testid=kv-step]')].map((s) => ({
        kind: s.dataset.step,
        server: s.dataset.server,
        text: s.textContent,
      })),
    })),
  );

/** Each server's applied store: { id, alive, pairs: { key: value } }. */
const stores = (page) =>
  page.$$eval('[data-testid=kv-store]', (ss) =>
    ss.map((s) => ({
      id: s.dataset.nodeId,
      alive: s.dataset.alive,
      pairs: Object.fromEntries([...s.querySelectorAll('[data-testid=kv-pair]')].map((p) => [p.dataset.key, p.dataset.value])),
    })),
  );

const nodeConfig = (page, id) => page.getAttribute(`[data-testid=node][data-node-id="${id}"]`, 'data-config').catch(() => null);
const legend = (page) => page.textContent('[data-testid=config-legend]');
const activity = (page) => page.textContent('[data-testid=activity]');

/** A leader whose first entry (its no-op) has committed on every server: membership changes need it. */
async function settledLeader(page) {
  return until(page, 'a leader with its no-op committed everywhere', async () => {
    const nodes = await nodeStates(page);
    const l = leaderOf(nodes);
    return l && nodes.every((n) => Number(n.commit) > 0) ? l : undefined;
  });
}

async function select(page, id) {
  await page.click(`[data-testid=node][data-node-id="${id}"]`);
  await page.waitForSelector(`[data-testid=inspector][data-node-id="${id}"]`, { timeout: 10_000 });
}

/** Entries carried by an AppendEntries, from its summary (`... Entries:[1/1 noop 1/2 conf(1 2)]`). */
const entriesIn = (summary) => {
  const at = summary.indexOf('Entries:[');
  return at < 0 ? 0 : (summary.slice(at).match(/\b\d+\/\d+ /g) ?? []).length;
};

/** Adds S6 and watches the AppendEntries sent to it until its log matches the leader's; returns their entry counts. */
async function addAndWatchCatchUp(page, what, id = 6) {
  const leader = await settledLeader(page);
  await page.selectOption('[data-testid=add-server-id]', String(id));
  await page.click('[data-testid=add-server]');
  await until(page, `S${id} to be a voter`, async () => (await nodeConfig(page, id)) === 'voter');
  const counts = new Map();
  await until(page, `S6 to catch up (${what})`, async () => {
    const seen = await page.$$eval(`[data-testid=message][data-type=AppendEntries][data-to="${id}"]`, (ms) =>
      ms.map((m) => [m.dataset.msgId, m.querySelector('title')?.textContent ?? '']),
    );
    for (const [id, title] of seen) counts.set(id, entriesIn(title));
    const logs = await page.$$eval('[data-testid=log-entry]', (es) => es.map((e) => e.dataset.nodeId));
    const own = (id) => logs.filter((n) => n === id).length;
    const nodes = await nodeStates(page);
    const l = nodes.find((n) => n.id === leader.id);
    const added = nodes.find((n) => n.id === String(id));
    return added && own(String(id)) > 0 && own(String(id)) === own(leader.id) && added.commit === l.commit;
  });
  return [...counts.values()];
}

export default async function (context, baseUrl) {
  const { page, problems } = await open(context, baseUrl, '?seed=7&speed=1');
  await page.waitForSelector('[data-testid=kv]', { timeout: WALL_TIMEOUT_MS });

  await test('kv-membership: put x=1 with the form; every live store shows x=1 and the request is ok', async () => {
    await settledLeader(page);
    assert((await page.$$('[data-testid=kv-store]')).length === 5, 'not one store per server');
    await page.selectOption('[data-testid=kv-op]', 'put');
    await page.fill('[data-testid=kv-key]', 'x');
    await page.fill('[data-testid=kv-value]', '1');
    await page.click('[data-testid=kv-send]');
    const ok = await until(page, 'request 1 to be ok', async () =>
      (await requests(page)).find((r) => r.req === '1' && r.status === 'ok'),
    );
    assert(ok.result === 'done', `put returned ${ok.result}`);
    assert(ok.steps.some((s) => s.kind === 'reply'), `no reply step: ${JSON.stringify(ok.steps)}`);
    await until(page, 'x=1 in every live store', async () => {
      const all = await stores(page);
      return all.length === 5 && all.filter((s) => s.alive === 'true').every((s) => s.pairs.x === '1');
    });
    // A get reads it back.
    await page.selectOption('[data-testid=kv-op]', 'get');
    assert(await page.isDisabled('[data-testid=kv-value]'), 'a get has no value');
    await page.click('[data-testid=kv-send]');
    const got = await until(page, 'the get to answer', async () =>
      (await requests(page)).find((r) => r.req === '2' && r.status === 'ok'),
    );
    assert(got.result === '1', `get x returned ${got.result}`);
  });

  await test('kv-membership: a request sent to a follower is redirected to the leader', async () => {
    const leader = leaderOf(await nodeStates(page));
    assert(leader, 'no leader');
    const follower = (await nodeStates(page)).find((n) => n.id !== leader.id && n.alive === 'true');
    await select(page, follower.id);
    await page.click('[data-action=request]');
    const said = await activity(page);
    assert(said.includes(`to S${follower.id}, the server you chose`), `activity does not say where it went: ${said}`);
    const done = await until(page, 'the request to be answered', async () =>
      (await requests(page)).find((r) => r.req === '3' && r.status === 'ok'),
    );
    const kinds = done.steps.map((s) => `${s.kind}@${s.server}`);
    assert(
      kinds.join(' ') === `send@${follower.id} redirect@${follower.id} send@${leader.id} reply@${leader.id}`,
      `progress: ${kinds.join(' ')}`,
    );
    const redirect = done.steps.find((s) => s.kind === 'redirect');
    assert(
      redirect.text.includes(`S${follower.id}: not leader, try S${leader.id}`),
      `redirect says: ${redirect.text}`,
    );
    // The menu's request puts x=<its request number>.
    await until(page, 'x=3 everywhere', async () =>
      (await stores(page)).filter((s) => s.alive === 'true').every((s) => s.pairs.x === '3'),
    );
    await page.setViewportSize({ width: 1280, height: 900 });
    await reveal(page, '[data-testid=kv]');
    await page.waitForTimeout(200);
    await page.screenshot({ path: path.join(artifacts, 'kv.png'), fullPage: true });
    await page.setViewportSize({ width: 900, height: 700 });
  });

  await test('kv-membership: add a server; it becomes a member and catches up its log', async () => {
    assert((await nodeStates(page)).length === 5, 'not 5 members to start with');
    const spares = await page.$$eval('[data-testid=spare-node]', (ss) => ss.map((s) => s.dataset.nodeId));
    assert(spares.join() === '6,7,8,9', `spares: ${spares}`);
    assert((await legend(page)).startsWith('configuration {1,2,3,4,5}'), `legend: ${await legend(page)}`);
    await addAndWatchCatchUp(page, 'batching on');
    assert((await nodeStates(page)).length === 6, 'S6 is not drawn as a server');
    assert((await page.$('[data-testid=spare-node][data-node-id="6"]')) === null, 'S6 still drawn as a spare');
    await until(page, 'the legend to list S6', async () => (await legend(page)).startsWith('configuration {1,2,3,4,5,6}'));
    assert((await page.$$('[data-testid=log-row]')).length === 6, 'no log row for S6');
  });

  await test('kv-membership: remove a server', async () => {
    const leader = leaderOf(await nodeStates(page));
    const gone = (await nodeStates(page)).find((n) => n.id !== leader.id && n.id !== '6').id;
    await select(page, gone);
    await page.click('[data-action=remove]');
    await until(page, `S${gone} out of the configuration`, async () => (await nodeConfig(page, gone)) === 'none');
    const rest = ['1', '2', '3', '4', '5', '6'].filter((id) => id !== gone).join(',');
    await until(page, 'the legend without it', async () => (await legend(page)).startsWith(`configuration {${rest}}`));
    // Tagged "not in config" until the configuration without it commits; then the world
    // shuts it down and the ring tags it "retired" (DOM contract version 6).
    const tag = () => page.textContent(`.node-text[data-node-id="${gone}"] [data-testid=config-tag]`);
    const retired = () => page.getAttribute(`[data-testid=node][data-node-id="${gone}"]`, 'data-retired');
    const early = await tag();
    assert(early === 'not in config' || early === 'retired', `tag on the removed server: ${early}`);
    await until(page, `S${gone} retired`, async () => (await retired()) === 'true');
    assert((await tag()) === 'retired', `tag on the retired server: ${await tag()}`);
    assert(await page.isDisabled('[data-action=remove]'), 'a non-member can still be removed');
    assert(await page.isDisabled('[data-action=transfer]'), 'leadership can be handed to a non-member');
  });

  await test('kv-membership: transfer leadership to a chosen follower (key l)', async () => {
    const leader = leaderOf(await nodeStates(page));
    await select(page, leader.id);
    assert(await page.isDisabled('[data-action=transfer]'), 'transfer to the leader itself is offered');
    await until(page, 'the removal to commit', async () =>
      (await page.getAttribute('[data-testid=config-legend]', 'data-uncommitted')) === 'false',
    );
    // From the keyboard: 6 selects S6, l hands it leadership.
    await page.keyboard.press('6');
    await page.waitForSelector('[data-testid=inspector][data-node-id="6"]', { timeout: 10_000 });
    await page.keyboard.press('l');
    const said = await activity(page);
    assert(said.includes('hand leadership to S6'), `activity: ${said}`);
    await until(page, 'S6 to lead', async () => leaderOf(await nodeStates(page))?.id === '6');
    assert((await page.$('[data-testid=violation]')) === null, 'a safety violation');
    await page.screenshot({ path: path.join(artifacts, 'membership.png') });
  });

  await test('kv-membership: a joint change shows C_old and C_new, then C_new alone', async () => {
    // The previous test handed leadership over: wait until a leader of the new term has
    // committed an entry of its own (§4.1: only then may it change the configuration).
    let voters;
    let out;
    for (let attempt = 0; ; attempt++) {
      await settledLeader(page);
      await pause(page);
      const leader = leaderOf(await nodeStates(page));
      const before = await legend(page);
      voters = before.match(/^configuration \{([\d,]+)\}/)[1].split(',');
      out = voters.find((id) => id !== leader?.id);
      if (leader) {
        await page.uncheck(`[data-testid=joint-member][data-node-id="${out}"]`);
        await page.check('[data-testid=joint-member][data-node-id="7"]');
        await page.click('[data-testid=enter-joint]');
        const joint = await until(page, 'joint consensus or a refusal', async () =>
          (await page.getAttribute('[data-testid=config-legend]', 'data-joint')) === 'true' ||
          ((await page.$('[data-testid=notice]')) !== null &&
            (await page.textContent('[data-testid=notice]')).includes('EnterJoint') && 'refused'), 10_000);
        if (joint === true) break;
      }
      assert(attempt < 5, `no joint change after ${attempt + 1} tries`);
      // Refused (no entry of this term committed yet) or no leader: let the cluster go on.
      const t = await simTimeUs(page);
      await page.click('[data-testid=play-pause]');
      await until(page, 'the cluster to go on', async () => (await simTimeUs(page)) > t + 300_000);
    }
    const cNew = [...voters.filter((id) => id !== out), '7'].sort((a, b) => a - b).join(',');
    const text = await legend(page);
    assert(text.startsWith(`joint: C_old {${voters.join(',')}} C_new {${cNew}}`), `legend: ${text}`);
    assert((await nodeConfig(page, out)) === 'old', `S${out} is not in C_old only`);
    assert((await nodeConfig(page, 7)) === 'new', 'S7 is not in C_new only');
    assert((await nodeConfig(page, voters.find((id) => id !== out))) === 'both', 'a staying server is not in both');
    await page.click('[data-testid=play-pause]');
    await until(page, 'C_new alone', async () => (await legend(page)).startsWith(`configuration {${cNew}}`));
    assert((await nodeConfig(page, out)) === 'none', `S${out} still a member`);
    assert((await playState(page)) === 'playing', 'not playing');
  });

  await test('kv-membership: no console errors', async () => {
    assert(problems.length === 0, problems.join('\n'));
  });
  await page.close();

  await test('kv-membership: the batching switch applies from now on; off, AppendEntries carry one entry each', async () => {
    const { page: p, problems: probs } = await open(context, baseUrl, '?seed=7&speed=0.05');
    await p.waitForSelector('[data-testid=batching]', { timeout: WALL_TIMEOUT_MS });
    assert(await p.isChecked('[data-testid=batching]'), 'batching is not on by default');
    const batched = await addAndWatchCatchUp(p, 'batching on');
    assert(batched.some((n) => n > 1), `with batching on no AppendEntries to S6 carried several entries: ${batched}`);
    const t0 = await simTimeUs(p);
    await p.uncheck('[data-testid=batching]');
    await until(p, 'the switch to be narrated', async () => (await activity(p)).includes('batching off'));
    assert((await simTimeUs(p)) >= t0, 'the run restarted: a switch must apply from now on');
    assert(!(await p.isChecked('[data-testid=batching]')), 'the switch did not stay off');
    assert((await p.$$('[data-testid=spare-node]')).length === 3, 'S6 is no longer in the cluster');
    const single = await addAndWatchCatchUp(p, 'batching off', 7);
    assert(single.filter((n) => n > 0).length >= 2, `too few AppendEntries with entries seen: ${single}`);
    assert(single.every((n) => n <= 1), `with batching off an AppendEntries carried several entries: ${single}`);
    assert(probs.length === 0, probs.join('\n'));
    await p.close();
  });

  await test('kv-membership: ?batching=off starts with the switch off', async () => {
    const { page: p, problems: probs } = await open(context, baseUrl, '?seed=7&batching=off');
    await p.waitForSelector('[data-testid=batching]', { timeout: WALL_TIMEOUT_MS });
    assert(!(await p.isChecked('[data-testid=batching]')), 'batching=off in the URL is ignored');
    assert(probs.length === 0, probs.join('\n'));
    await p.close();
  });
}
