#!/usr/bin/env bash
# The main job: builds the driver, starts the bundled Kintone emulator with
# the sample apps, registers the driver and a DSN in a project-local
# unixODBC configuration, tests the connection and runs queries through
# isql.  Leaves nothing running.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash scripts/deps.sh
bash scripts/build.sh
. scripts/testenv.sh
run="$top/.run/demo"
rm -rf "$run"
trap kenv_stop EXIT
kenv_start "$run"

say() { printf '\n== %s\n' "$*"; }
q() {                         # q "SQL" : one statement through isql
  printf '%s\n' "$1" | isql KintoneDemo -b -v -d'|' -c
  printf '\n'
}

say "Driver registered in $ODBCSYSINI/odbcinst.ini; DSN KintoneDemo -> $KENV_URL"
say "Testing the connection (kintone-odbc dsn test KintoneDemo)"
build/kintone-odbc dsn test KintoneDemo

say "Tables (isql: help)"
echo help | isql KintoneDemo -b -d'|' -c | cut -d'|' -f3,4,5
echo

say "Five largest won deals (filter, ORDER BY, LIMIT)"
q 'SELECT "$id", deal_name, amount, order_date FROM "販売管理" WHERE stage = '"'"'受注'"'"' ORDER BY amount DESC LIMIT 5'

say "COUNT(*) of each app"
q 'SELECT (SELECT COUNT(*) FROM "販売管理") AS "販売管理", (SELECT COUNT(*) FROM "顧客マスタ") AS "顧客マスタ"'

say "Join of the two apps: deals and revenue per customer"
q 'SELECT c.company AS "会社名", c.prefecture AS "都道府県", COUNT(*) AS deals, SUM(s.amount) AS revenue FROM "販売管理" s JOIN "顧客マスタ" c ON c.customer_id = s.customer_id GROUP BY c.company, c.prefecture ORDER BY revenue DESC LIMIT 5'

say "Multi-value fields and system fields"
q 'SELECT "$id", tags, owner, "作成者", "作成日時" FROM "販売管理" WHERE "$id" BETWEEN 1 AND 3'

say "Kintone requests made by the emulator log: $(wc -l <"$run/requests.log")"
