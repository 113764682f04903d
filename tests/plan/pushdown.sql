-- What each statement asks Kintone.  One statement per line.
SELECT COUNT(*) FROM "販売管理"
SELECT "$id", deal_name FROM "販売管理" WHERE "$id" = 42
SELECT "$id" FROM "販売管理" LIMIT 10
SELECT "$id" FROM "販売管理" ORDER BY "$id" DESC LIMIT 3 OFFSET 2
SELECT "$id" FROM "販売管理" WHERE "$id" BETWEEN 100 AND 105
SELECT "$id" FROM "販売管理" WHERE "$id" IN (3, 1, 2)
SELECT "$id" FROM "販売管理" WHERE "$id" > 1195.5
SELECT "$id" FROM "販売管理" WHERE "$id" = 2.5
SELECT COUNT(*) FROM "販売管理" WHERE "$id" > 1000
SELECT "$id" FROM "販売管理" WHERE stage = '受注' AND amount > 4900000
SELECT "$id" FROM "販売管理" WHERE stage IN ('受注', '失注') AND quantity = 3 AND order_date < '2023-02-01'
SELECT "$id" FROM "販売管理" WHERE stage = 'not-an-option' AND "$id" < 3
SELECT "$id" FROM "販売管理" WHERE stage IS NULL
SELECT "$id" FROM "販売管理" WHERE notes IS NULL AND "$id" < 50
SELECT "$id" FROM "販売管理" WHERE deal_name = 'Quoted "Alpha" deal'
SELECT "$id" FROM "販売管理" WHERE deal_name = 'Path C:\temp\deal\'
SELECT "$id" FROM "販売管理" WHERE customer_id IN ('C001', 'C002') AND amount >= 4000000
SELECT "$id" FROM "販売管理" WHERE closed_at >= '2024-12-01 00:00:00' AND closed_at < '2024-12-01 12:00:30'
SELECT "$id" FROM "販売管理" WHERE "作成者" = 'sato' AND "$id" <= 20
SELECT "$id" FROM "販売管理" WHERE deal_name LIKE '%PoC%' AND "$id" <= 10
SELECT "$id" FROM "販売管理" WHERE amount = 'abc'
SELECT "$id" FROM "販売管理" WHERE amount < 'abc' AND "$id" <= 3
SELECT "$id" FROM "販売管理" WHERE tags = '["新規"]' AND "$id" < 10
SELECT c.company, COUNT(*) FROM "販売管理" s JOIN "顧客マスタ" c ON c.customer_id = s.customer_id WHERE c.prefecture = '東京都' GROUP BY c.company
SELECT "$id" FROM "販売管理" ORDER BY amount DESC LIMIT 3
SELECT COUNT(*) FROM "販売管理_lines"
SELECT "$id", item FROM "販売管理_lines" WHERE "$parent_id" = 2
SELECT s."$id", l.item FROM "販売管理" s JOIN "販売管理_lines" l ON l."$parent_id" = s."$id" WHERE s."$id" BETWEEN 1 AND 3
SELECT COUNT(*), SUM(l.qty) FROM "販売管理" s JOIN "販売管理_lines" l ON l."$parent_id" = s."$id" WHERE s.stage = '受注'
