CREATE STREAM "ströme" ("zeile" TEXT, größe INTEGER, 名前 TEXT) FROM FILE 'données.csv' FORMAT CSV (header = true, delimiter = '→');
CREATE QUERY q AS SELECT 名前, COUNT(*) AS n FROM "ströme" WHERE größe > 1 GROUP BY 名前;
SELECT "zeile" || 'é🙂' FROM ströme WHERE zeile = 'â';
