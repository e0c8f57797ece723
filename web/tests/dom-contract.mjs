// Reads the README's "DOM contract" table: which data-testids the page promises, and
// which data-* attributes each of them carries. The table is one row per line,
// `| element | attributes |`, cells separated by `|` (`\|` inside a cell is a literal bar).
//
// How a row is read:
// - Backticked `[data-testid=X]` anywhere names test id X.
// - When the first cell names test ids (`[data-testid=node]`), the `data-*` names in the
//   second cell are their attributes; other backticked words there are values
//   (`follower`, `true`) and are skipped.
// - When the first cell is a group name (`controls`, `the run`, ...), each backticked
//   bare word outside parentheses in the second cell is a test id (`play-pause`), and the
//   `data-*` names after it belong to it: `scenario-status` (`data-state` = `pending`/...,
//   `data-held`); "`a` and `b` (`data-x`)" gives both of them `data-x`. Backticked words
//   inside parentheses are values (`pending`) and skipped.
// - A backticked `[data-NAME=a|b|c]` (NAME not testid) says that elements with each of
//   those values exist inside the row's test ids named before it (anywhere if none).

/** Splits a table line into trimmed cells, honouring `\|`. */
export function cells(line) {
  const out = [];
  let cell = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\' && line[i + 1] === '|') {
      cell += '|';
      i++;
    } else if (line[i] === '|') {
      out.push(cell.trim());
      cell = '';
    } else {
      cell += line[i];
    }
  }
  out.push(cell.trim());
  // A row starts and ends with a bar: drop the empty ends.
  if (out[0] === '') out.shift();
  if (out[out.length - 1] === '') out.pop();
  return out;
}

/**
 * The backticked tokens of a cell: each with the parenthesis depth (outside backticks) it is
 * at and the plain text between it and the token before.
 */
export function tokens(cell) {
  const out = [];
  let depth = 0;
  let since = 0;
  for (let i = 0; i < cell.length; i++) {
    const c = cell[i];
    if (c === '`') {
      const end = cell.indexOf('`', i + 1);
      if (end < 0) break;
      out.push({ text: cell.slice(i + 1, end), depth, before: cell.slice(since, i).trim() });
      i = end;
      since = end + 1;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth = Math.max(0, depth - 1);
    }
  }
  return out;
}

const TESTID = /^\[data-testid=([a-z0-9-]+)\]$/;
const VALUES = /^\[(data-[a-z0-9-]+)=([^\]]+)\]$/;
const ATTR = /^data-[a-z0-9-]+$/;
const BARE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Parses the "DOM contract" section of a README. Returns
 * `{ heading, ids: Map<testid, Set<attribute>>, values: [{ attr, values, within }], rows }`,
 * or throws if the section or its table is missing.
 */
export function parseDomContract(markdown) {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => /^##\s+DOM contract\b/.test(l));
  if (start < 0) throw new Error('the README has no "## DOM contract" section');
  const ids = new Map();
  const values = [];
  let rows = 0;
  const idOf = (name) => {
    if (!ids.has(name)) ids.set(name, new Set());
    return ids.get(name);
  };
  for (const line of lines.slice(start + 1)) {
    if (/^##\s/.test(line)) break;
    if (!line.trimStart().startsWith('|')) continue;
    const row = cells(line);
    if (row.length < 2) continue;
    if (/^-+$/.test(row[0].replace(/:/g, '')) || (row[0] === 'element' && row[1] === 'attributes')) continue;
    rows++;
    const [first, second] = row;
    // Test ids named by the first cell own the attributes of the second.
    const rowIds = tokens(first)
      .map((t) => TESTID.exec(t.text)?.[1])
      .filter(Boolean);
    rowIds.forEach(idOf);
    const grouped = rowIds.length === 0;
    // The test ids the next `data-*` names belong to, and whether any has come since.
    let owners = rowIds;
    let ownersHaveAttrs = false;
    const named = [...rowIds];
    const name = (testid, joined) => {
      idOf(testid);
      named.push(testid);
      owners = joined && !ownersHaveAttrs ? [...owners, testid] : [testid];
      ownersHaveAttrs = false;
    };
    for (const { text, depth, before } of tokens(second)) {
      const testid = TESTID.exec(text)?.[1];
      const vals = VALUES.exec(text);
      if (testid) {
        name(testid, false);
      } else if (vals) {
        values.push({ attr: vals[1], values: vals[2].split('|').map((v) => v.trim()).filter(Boolean), within: [...named] });
      } else if (ATTR.test(text)) {
        for (const o of owners) idOf(o).add(text);
        ownersHaveAttrs = true;
      } else if (grouped && depth === 0 && BARE.test(text)) {
        // "`partition-chip` and `partition-group` (`data-node-id`)": both carry it.
        name(text, before === 'and');
      }
    }
  }
  if (rows === 0) throw new Error('the README\'s DOM contract section has no `| element | attributes |` table');
  return { heading: lines[start].replace(/^##\s+/, ''), ids, values, rows };
}
