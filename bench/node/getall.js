// Reads every record of an app with the official @kintone/rest-api-client
// (getAllRecords, keyset paging by $id) and prints rows and wall time.
// usage: node getall.js BASEURL APP
const { KintoneRestAPIClient } = require("@kintone/rest-api-client");
const [baseUrl, app] = process.argv.slice(2);
const client = new KintoneRestAPIClient({
  baseUrl,
  auth: { username: "demo", password: "demo-pass" },
});
const t0 = Date.now();
client.record.getAllRecords({ app }).then((recs) => {
  console.log(`rows=${recs.length} wall=${((Date.now() - t0) / 1000).toFixed(3)}`);
}).catch((e) => { console.error(e.message); process.exit(1); });
