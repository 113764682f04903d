-- UseDisplayNames: columns are named by field label, Kintone is still
-- asked with the field codes.
-- connect: UseDisplayNames=1;TimeZone=Asia/Tokyo
SELECT "$id", "案件名" FROM "販売管理" WHERE "$id" = 42
SELECT "$id" FROM "販売管理" WHERE "商談ステージ" = '受注' AND "金額" > 4900000
SELECT "$id" FROM "販売管理" WHERE "成約日時" >= '2024-12-01 09:00:00' AND "成約日時" < '2024-12-02 09:00:00'
SELECT "$id", "品目" FROM "販売管理_lines" WHERE "$parent_id" = 2
SELECT c."会社名", COUNT(*) FROM "販売管理" s JOIN "顧客マスタ" c ON c."顧客ID" = s."顧客ID" WHERE c."都道府県" = '東京都' GROUP BY c."会社名"
