help
help 顧客マスタ
SELECT * FROM nosuchtable
