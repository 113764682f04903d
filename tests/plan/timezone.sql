-- TimeZone: DATETIME values in WHERE are wall-clock times in the zone and
-- are sent to Kintone as the UTC instants they denote.  DATE and TIME are
-- not converted.  America/New_York: EDT (-04:00) in summer, EST (-05:00)
-- in winter; 2024-03-10 02:00-03:00 does not exist, 2024-11-03 01:00-02:00
-- happens twice.
-- connect: TimeZone=America/New_York
SELECT "$id" FROM "販売管理" WHERE closed_at >= '2024-12-01 00:00:00' AND closed_at < '2024-12-01 12:00:30'
SELECT "$id" FROM "販売管理" WHERE closed_at = '2024-07-01 09:15:00'
SELECT "$id" FROM "販売管理" WHERE closed_at = '2024-11-03 01:30:00'
SELECT "$id" FROM "販売管理" WHERE closed_at <> '2024-11-03 01:30:00' AND "$id" <= 5
SELECT "$id" FROM "販売管理" WHERE closed_at = '2024-03-10 02:30:00'
SELECT "$id" FROM "販売管理" WHERE closed_at < '2024-03-10 02:30:00' AND closed_at > '2024-03-09 00:00:00'
SELECT "$id" FROM "販売管理" WHERE closed_at >= '2024-03-10 02:30:00' AND closed_at <= '2024-03-12 00:00:00'
SELECT "$id" FROM "販売管理" WHERE "作成日時" > '2024-08-12 08:31:00' AND "作成日時" <= '2024-08-12 08:31:30' AND "$id" <= 100
SELECT "$id" FROM "販売管理" WHERE order_date = '2024-08-21'
SELECT "$id", closed_at FROM "販売管理" WHERE "$id" IN (10, 14)
