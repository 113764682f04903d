// node-odbc (odbc@2.6.0) against the Kintone ODBC driver through unixODBC.
// Needs the ODBC environment of scripts/testenv.sh (DSN KintoneDemo).
// Prints TAP; exit status 1 when a test fails.
'use strict';
const odbc = require('odbc');
const assert = require('assert');

const dsn = process.env.KR_DSN || 'KintoneDemo';
const tests = [];
function test(name, fn) { tests.push({ name, fn }); }

test('connect and a constant query', async (c) => {
  const rows = await c.query('SELECT 1 AS one, \'日本語😀\' AS t');
  assert.strictEqual(rows.length, 1);
  assert.strictEqual(Number(rows[0].one), 1);   // BIGINT: a BigInt
  assert.strictEqual(rows[0].t, '日本語😀');
  assert.strictEqual(rows.columns[0].name, 'one');
});

test('Japanese table and column names, ordered rows', async (c) => {
  const rows = await c.query(
    'SELECT "$id", company, prefecture FROM 顧客マスタ ' +
    'WHERE "$id" <= 3 ORDER BY "$id"');
  assert.deepStrictEqual(rows.map((r) => r.company),
    ['株式会社青葉商事', 'さくら商事株式会社', '株式会社富士商事']);
  assert.strictEqual(rows[0].prefecture, '東京都');
  assert.strictEqual(Number(rows[2].$id), 3);
});

test('parameters: text, integer, Japanese', async (c) => {
  const rows = await c.query(
    'SELECT count(*) AS n FROM 顧客マスタ WHERE prefecture = ? AND "$id" > ?',
    ['広島県', 3]);
  assert.ok(Number(rows[0].n) >= 1);
  const echo = await c.query('SELECT ? AS a, ? AS b, ? AS c',
    ['ワイド😀', 42, 2.5]);
  assert.strictEqual(echo[0].a, 'ワイド😀');
  assert.strictEqual(Number(echo[0].b), 42);
  assert.strictEqual(Number(echo[0].c), 2.5);
});

test('prepared statement executed twice', async (c) => {
  const st = await c.createStatement();
  await st.prepare('SELECT company FROM 顧客マスタ WHERE "$id" = ?');
  await st.bind([2]);
  let rows = await st.execute();
  assert.strictEqual(rows[0].company, 'さくら商事株式会社');
  await st.bind([1]);
  rows = await st.execute();
  assert.strictEqual(rows[0].company, '株式会社青葉商事');
  await st.close();
});

test('types: decimal, date, timestamp, NULL', async (c) => {
  const rows = await c.query(
    'SELECT amount, order_date, closed_at, NULL AS n FROM 販売管理 ' +
    'WHERE "$id" = 2');
  assert.strictEqual(Number(rows[0].amount), 609813.25);
  assert.match(String(rows[0].order_date), /^2024-04-18/);
  assert.strictEqual(rows[0].n, null);
});

test('tables()', async (c) => {
  const t = await c.tables(null, null, null, 'TABLE');
  const names = t.map((r) => r.TABLE_NAME).sort();
  // the apps and the child table of 販売管理's subtable "lines"
  assert.deepStrictEqual(names, ['販売管理', '販売管理_lines', '顧客マスタ']
    .sort());
  const some = await c.tables(null, null, '顧客%', null);
  assert.deepStrictEqual(some.map((r) => r.TABLE_NAME), ['顧客マスタ']);
});

test('columns()', async (c) => {
  const cols = await c.columns(null, null, '顧客マスタ', null);
  assert.strictEqual(cols.length, 13);
  assert.strictEqual(cols[0].COLUMN_NAME, '$id');
  assert.strictEqual(cols[0].NULLABLE, 0);
  const comp = cols.find((r) => r.COLUMN_NAME === 'company');
  assert.strictEqual(comp.TYPE_NAME, 'WVARCHAR');
  assert.strictEqual(comp.DATA_TYPE, -9);
});

test('errors carry SQLSTATE', async (c) => {
  await assert.rejects(c.query('SELECT * FROM 存在しない表'), (e) => {
    assert.ok(e.odbcErrors && e.odbcErrors.length > 0);
    assert.strictEqual(e.odbcErrors[0].state, '42S02');
    return true;
  });
});

test('cursor: fetch in batches', async (c) => {
  const cur = await c.query(
    'SELECT "$id" FROM 販売管理 ORDER BY "$id" LIMIT 25', { cursor: true,
      fetchSize: 10 });
  let total = 0, batches = 0;
  while(!cur.noData) {
    const part = await cur.fetch();
    total += part.length;
    if(part.length)
      batches++;
  }
  await cur.close();
  assert.strictEqual(total, 25);
  assert.strictEqual(batches, 3);
});

(async () => {
  let failed = 0, conn;
  console.log(`1..${tests.length}`);
  try {
    conn = await odbc.connect(`DSN=${dsn}`);
  } catch(e) {
    console.log(`# connect failed: ${e.message}`);
    console.log(JSON.stringify(e.odbcErrors || []));
    tests.forEach((t, i) => console.log(`not ok ${i + 1} - ${t.name}`));
    process.exit(1);
  }
  for(let i = 0; i < tests.length; i++) {
    try {
      await tests[i].fn(conn);
      console.log(`ok ${i + 1} - ${tests[i].name}`);
    } catch(e) {
      failed++;
      console.log(`not ok ${i + 1} - ${tests[i].name}`);
      console.log(`# ${String(e.stack || e).split('\n').join('\n# ')}`);
      if(e.odbcErrors)
        console.log(`# ${JSON.stringify(e.odbcErrors)}`);
    }
  }
  await conn.close();
  process.exit(failed ? 1 : 0);
})();
