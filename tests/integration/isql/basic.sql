SELECT COUNT(*) FROM "販売管理"
SELECT COUNT(*) FROM "顧客マスタ"
SELECT "$id", deal_name, amount, stage FROM "販売管理" WHERE stage = '受注' ORDER BY amount DESC, "$id" LIMIT 5
SELECT "$id", customer_id, company, prefecture, since, rank FROM "顧客マスタ" ORDER BY "$id" LIMIT 3
SELECT c.company, COUNT(*) AS deals FROM "販売管理" s JOIN "顧客マスタ" c ON c.customer_id = s.customer_id GROUP BY c.company ORDER BY deals DESC, c.company LIMIT 5
SELECT "$id", tags, owner, order_date, closed_at, "作成者", "作成日時" FROM "販売管理" WHERE "$id" BETWEEN 5 AND 7
SELECT "$id", deal_name FROM "販売管理" WHERE "$id" IN (7, 13, 21, 42, 55)
SELECT MIN("$id"), MAX("$id"), COUNT(DISTINCT customer_id) FROM "販売管理"
SELECT "$id" FROM "販売管理" ORDER BY "$id" DESC LIMIT 3
SELECT "$id" FROM "販売管理" WHERE "$id" > 1195.5
SELECT table_name, app_id, code, name FROM sys.Apps ORDER BY app_id
