// Checks the Kintone emulator with the official clients.
// Usage (run.sh does this): node check.js MAIN_PORT CERT_PORT CERT_DIR WORK_DIR
// MAIN_PORT: emulator without client-certificate requirement; CERT_PORT: with --client-ca.
// TLS trust comes from NODE_EXTRA_CA_CERTS (the test CA).
"use strict";

const { KintoneRestAPIClient, KintoneRestAPIError } = require("@kintone/rest-api-client");
const { execFileSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const [mainPort, certPort, certDir, workDir] = process.argv.slice(2);
const base = `https://localhost:${mainPort}`;
const auth = { username: "demo", password: "demo-pass" };
const CLI = path.join(__dirname, "node_modules", ".bin", "cli-kintone");

let failures = 0;
let passed = 0;

function assert(cond, msg) {
  if (!cond) throw new Error("assertion failed: " + msg);
}

async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    passed++;
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
  }
}

function cli(args, opts = {}) {
  return execFileSync(CLI, args, { encoding: "utf8", stdio: ["pipe", "pipe", "pipe"], ...opts });
}

async function main() {
  const client = new KintoneRestAPIClient({ baseUrl: base, auth });

  await check("getRecords with totalCount", async () => {
    const r = await client.record.getRecords({ app: 1, query: "order by $id asc limit 5", totalCount: true });
    assert(r.records.length === 5, "5 records");
    assert(r.totalCount === "1200", "totalCount 1200, got " + r.totalCount);
    assert(r.records[0].$id.value === "1", "first id 1");
    assert(r.records[0]["レコード番号"].value === "SALES-1", "record number");
  });

  await check("getRecord / error class", async () => {
    const r = await client.record.getRecord({ app: 2, id: 3 });
    assert(r.record.customer_id.value === "C003", "C003");
    try {
      await client.record.getRecord({ app: 2, id: 999 });
      throw new Error("no error");
    } catch (e) {
      assert(e instanceof KintoneRestAPIError, "KintoneRestAPIError");
      assert(e.code === "GAIA_RE01" && e.status === 404, `GAIA_RE01/404, got ${e.code}/${e.status}`);
    }
  });

  await check("getAllRecords without orderBy (keyset by $id)", async () => {
    const recs = await client.record.getAllRecords({ app: 1, fields: ["deal_name"] });
    assert(recs.length === 1200, "1200, got " + recs.length);
    assert(recs[0].$id.value === "1" && recs[1199].$id.value === "1200", "ascending ids");
  });

  await check("getAllRecords with orderBy (cursor)", async () => {
    const recs = await client.record.getAllRecords({
      app: 1, condition: 'stage in ("受注")', orderBy: "order_date desc", fields: ["$id", "order_date", "stage"],
    });
    const r = await client.record.getRecords({ app: 1, query: 'stage in ("受注") limit 1', totalCount: true });
    assert(recs.length === Number(r.totalCount), `cursor count ${recs.length} vs ${r.totalCount}`);
    const dates = recs.map((x) => x.order_date.value).filter((d) => d);
    for (let i = 1; i < dates.length; i++) assert(dates[i - 1] >= dates[i], "descending dates");
    assert(recs.every((x) => x.stage.value === "受注"), "condition");
  });

  await check("addAllRecords / updateAllRecords / deleteAllRecords of 2,500 records", async () => {
    const N = 2500;
    const records = Array.from({ length: N }, (_, i) => ({ name: { value: `n${i}` }, num: { value: String(i) } }));
    const added = await client.record.addAllRecords({ app: 11, records });
    assert(added.records.length === N, "added " + added.records.length);
    let all = await client.record.getAllRecords({ app: 11 });
    assert(all.length === N, "count after add " + all.length);
    const upd = all.map((r) => ({ id: r.$id.value, revision: r.$revision.value, record: { num: { value: String(Number(r.num.value) * 2) } } }));
    const updated = await client.record.updateAllRecords({ app: 11, records: upd });
    assert(updated.records.length === N && updated.records.every((r) => r.revision === "2"), "revisions 2");
    all = await client.record.getAllRecords({ app: 11, fields: ["num"] });
    const sum = all.reduce((s, r) => s + Number(r.num.value), 0);
    assert(sum === (N * (N - 1)), "sum after update " + sum);
    // a stale revision in the second chunk: first chunk (2,000) is applied, the rest is not
    const del = all.map((r) => ({ id: r.$id.value }));
    del[2100].revision = "1";
    try {
      await client.record.deleteAllRecords({ app: 11, records: del });
      throw new Error("no error");
    } catch (e) {
      assert(e.numOfProcessedRecords === 2000, "processed " + e.numOfProcessedRecords);
      assert(e.error && e.error.code === "GAIA_CO02", "GAIA_CO02, got " + (e.error && e.error.code));
    }
    let left = await client.record.getRecords({ app: 11, totalCount: true, query: "limit 1" });
    assert(left.totalCount === "500", "500 left, got " + left.totalCount);
    await client.record.deleteAllRecords({ app: 11, records: del.slice(2000).map((r) => ({ id: r.id })) });
    left = await client.record.getRecords({ app: 11, totalCount: true, query: "limit 1" });
    assert(left.totalCount === "0", "0 left");
  });

  await check("addAllRecords reports errorIndex", async () => {
    const records = Array.from({ length: 150 }, (_, i) => ({ name: { value: `e${i}` }, num: { value: i === 120 ? "abc" : "1" } }));
    try {
      await client.record.addAllRecords({ app: 11, records });
      throw new Error("no error");
    } catch (e) {
      assert(e.errorIndex === 120, "errorIndex 120, got " + e.errorIndex);
    }
    const left = await client.record.getRecords({ app: 11, totalCount: true, query: "limit 1" });
    assert(left.totalCount === "0", "bulk rolled back");
  });

  await check("getFormFields / getFormLayout / app", async () => {
    const f = await client.app.getFormFields({ app: 1 });
    assert(f.properties.lines.type === "SUBTABLE", "lines SUBTABLE");
    assert(f.revision === "5", "revision 5");
    const l = await client.app.getFormLayout({ app: 1 });
    assert(Array.isArray(l.layout) && l.layout.some((b) => b.type === "SUBTABLE" && b.code === "lines"), "layout");
    const a = await client.app.getApp({ id: 2 });
    assert(a.code === "CUSTOMERS", "app code");
    const st = await client.app.getAppSettings({ app: 1 });
    assert(st.name === "販売管理", "settings name");
  });

  await check("guest-space app", async () => {
    const guest = new KintoneRestAPIClient({ baseUrl: base, auth, guestSpaceId: 7 });
    const r = await guest.record.getRecords({ app: 12, query: "order by $id asc" });
    assert(r.records.map((x) => x.title.value).join() === "g1,g2,g3", "guest records");
    const { id } = await guest.record.addRecord({ app: 12, record: { title: { value: "g4" } } });
    assert(id === "4", "guest add id " + id);
    try {
      await client.record.getRecords({ app: 12 });
      throw new Error("no error");
    } catch (e) {
      assert(e.code === "GAIA_IL23", "GAIA_IL23, got " + e.code);
    }
  });

  await check("client certificate (pfx)", async () => {
    const certBase = `https://localhost:${certPort}`;
    const withCert = new KintoneRestAPIClient({
      baseUrl: certBase, auth,
      clientCertAuth: { pfxFilePath: path.join(certDir, "client.p12"), password: "clientpass" },
    });
    const r = await withCert.record.getRecords({ app: 2, query: "limit 2" });
    assert(r.records.length === 2, "records with client cert");
    const without = new KintoneRestAPIClient({ baseUrl: certBase, auth });
    let failed = false;
    try { await without.record.getRecords({ app: 2, query: "limit 2" }); } catch (e) { failed = true; }
    assert(failed, "request without client certificate must fail");
    const rogue = new KintoneRestAPIClient({
      baseUrl: certBase, auth,
      clientCertAuth: { pfxFilePath: path.join(certDir, "rogue.p12"), password: "clientpass" },
    });
    failed = false;
    try { await rogue.record.getRecords({ app: 2, query: "limit 2" }); } catch (e) { failed = true; }
    assert(failed, "rogue certificate must be rejected");
  });

  const common = ["--base-url", base, "-u", "demo", "-p", "demo-pass"];

  await check("cli-kintone record export", async () => {
    const out = cli(["record", "export", ...common, "--app", "1"]);
    const lines = out.trim().split("\n");
    const starts = lines.filter((l) => l.startsWith("*")).length;
    assert(starts === 1201, "1200 records + header rows marked *, got " + starts);
    assert(lines[0].includes('"deal_name"') && lines[0].includes('"lines"'), "header");
  });

  await check("cli-kintone record import (subtable, --update-key)", async () => {
    const before = await client.record.getRecord({ app: 10, id: 1 });
    const rowId = before.record.items.value[0].id;
    const csv = [
      '*,"code","title","qty","items","name","n"',
      `*,"A1","updated 1","10","${rowId}","x1-new","11"`,
      ',"A1","updated 1","10","","x1-second","12"',
      '*,"B9","brand new","9","","b-row","1"',
    ].join("\n") + "\n";
    const file = path.join(workDir, "import.csv");
    fs.writeFileSync(file, csv);
    cli(["record", "import", ...common, "--app", "10", "--file-path", file, "--update-key", "code"]);
    const a1 = (await client.record.getRecord({ app: 10, id: 1 })).record;
    assert(a1.title.value === "updated 1" && a1.qty.value === "10", "A1 updated");
    assert(a1.items.value.length === 2, "A1 rows " + a1.items.value.length);
    assert(a1.items.value[0].id === rowId && a1.items.value[0].value.name.value === "x1-new", "row kept by id");
    assert(a1.$revision.value === "2", "revision 2");
    const b9 = await client.record.getRecords({ app: 10, query: 'code = "B9"' });
    assert(b9.records.length === 1 && b9.records[0].items.value[0].value.name.value === "b-row", "B9 inserted");
  });

  await check("cli-kintone record delete", async () => {
    cli(["record", "delete", "--base-url", base, "--api-token", "impdeletetoken0000000000000000000000000",
      "--app", "10", "--yes"]);
    const r = await client.record.getRecords({ app: 10, totalCount: true });
    assert(r.totalCount === "0", "all deleted, got " + r.totalCount);
  });

  console.log(`${passed} passed, ${failures} failed`);
  process.exit(failures ? 1 : 0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
