SELECT * FROM nosuchtable
SELECT nosuchcol FROM "顧客マスタ"
SELEC 1
SELECT 1; SELECT 2
