-- mode: check
-- FORMAT JSON's binder errors, all reported in one run: malformed paths (the caret
-- at the character that is wrong), PATH on a stream that is not JSON, bad options.
CREATE STREAM a (uid BIGINT PATH 'user.id') FROM FILE 'x.json' FORMAT JSON;
CREATE STREAM b (uid BIGINT PATH '$.user..id', tag TEXT PATH '$.tags[first]') FROM FILE 'x.json' FORMAT JSON;
CREATE STREAM c (uid BIGINT PATH '$.users[*].id', n TEXT PATH '$."a b"') FROM FILE 'x.json' FORMAT JSON;
CREATE STREAM d (uid BIGINT PATH '$.user.id') FROM FILE 'x.csv' FORMAT CSV;
CREATE STREAM e (line TEXT PATH '$.msg') FROM STDIN FORMAT TEXT;
CREATE STREAM f (x BIGINT) FROM FILE 'x.json' FORMAT JSON (json_cast = maybe, max_record_bytes = 0);
CREATE STREAM g (x BIGINT) FROM FILE 'x.json' FORMAT JSON (max_record = 10);
CREATE STREAM h (x BIGINT PATH) FROM FILE 'x.json' FORMAT JSON;
CREATE STREAM i (x BIGINT) FROM FILE 'x.json' FORMAT JSON WITH (json_cast = true);
