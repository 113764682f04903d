SELECT COUNT(*) FROM "販売管理_lines"
SELECT * FROM "販売管理_lines" WHERE "$parent_id" <= 3
SELECT s."$id", s.deal_name, l.item, l.unit_price * l.qty AS subtotal FROM "販売管理" s JOIN "販売管理_lines" l ON l."$parent_id" = s."$id" WHERE s."$id" BETWEEN 1 AND 3 ORDER BY s."$id", l."$id"
SELECT COUNT(*), SUM(l.qty) FROM "販売管理" s JOIN "販売管理_lines" l ON l."$parent_id" = s."$id" WHERE s.stage = '受注'
SELECT * FROM sys.Tables
SELECT table_name, column_name, field_type, sql_type, required, is_unique, options FROM sys.Fields WHERE table_name = '顧客マスタ' AND column_name IS NOT NULL
