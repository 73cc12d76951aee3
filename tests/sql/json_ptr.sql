-- x -> path is the JSON text of the element at path (SQLite 3.38+): a string
-- quoted ('"x"'), a number, true, null, an object or array minified; NULL
-- when there is none. -> and ->> read an abbreviated path as SQLite does:
-- text starting with a digit is an array index ('1' is '$[1]'), with '[' a
-- path without its '$' ('[1][0]'), other text an object label, an integer
-- as its text (-1 is the label "-1"). Both bind at the level of ||, left to
-- right; SQLite (3.40) is the oracle.
CREATE STREAM ev (id INTEGER, ts TIMESTAMP, doc TEXT)
  FROM FILE 'data/lit_times.csv' FORMAT CSV (header = true);
CREATE QUERY ptrs AS
  SELECT id,
         doc -> 'a' AS ja,
         doc -> 'b' AS jb,
         doc -> '$.b.c' AS jbc,
         doc -> 'arr' AS jarr,
         doc -> 'arr' -> 0 AS jarr0,
         doc -> 'missing' AS jmissing,
         '[7,[8,9]]' -> '1' AS jidx,
         '[7,[8,9]]' ->> '[1][0]' AS jpath,
         '{"0":1,"-1":2}' ->> '0' AS jlabel0,
         '{"0":1,"-1":2}' ->> -1 AS jneg,
         doc -> 'b' ->> 'c' AS jmixed,
         doc -> 'a' || '!' AS jcat,
         typeof(doc -> 'a') AS jtype
  FROM ev;
-- load: raw data/lit_times.csv
-- expect: CREATE VIEW oracle AS SELECT id, doc -> 'a' AS ja, doc -> 'b' AS jb, doc -> '$.b.c' AS jbc, doc -> 'arr' AS jarr, doc -> 'arr' -> 0 AS jarr0, doc -> 'missing' AS jmissing, '[7,[8,9]]' -> '1' AS jidx, '[7,[8,9]]' ->> '[1][0]' AS jpath, '{"0":1,"-1":2}' ->> '0' AS jlabel0, '{"0":1,"-1":2}' ->> -1 AS jneg, doc -> 'b' ->> 'c' AS jmixed, doc -> 'a' || '!' AS jcat, typeof(doc -> 'a') AS jtype FROM (SELECT CAST(id AS INTEGER) AS id, NULLIF(doc, '') AS doc FROM raw WHERE json_valid(doc))
-- expect: SELECT id, quote(ja), quote(jb), quote(jbc), quote(jarr), quote(jarr0), quote(jmissing), quote(jidx), quote(jpath), quote(jlabel0), quote(jneg), quote(jmixed), quote(jcat), quote(jtype) FROM ptrs WHERE id <> 4 ORDER BY id
-- expect: SELECT count(*) AS sluice_not_sqlite FROM (SELECT id, quote(ja), quote(jb), quote(jbc), quote(jarr), quote(jarr0), quote(jmissing), quote(jidx), quote(jpath), quote(jlabel0), quote(jneg), quote(jmixed), quote(jcat), quote(jtype) FROM ptrs WHERE id <> 4 EXCEPT SELECT id, quote(ja), quote(jb), quote(jbc), quote(jarr), quote(jarr0), quote(jmissing), quote(jidx), quote(jpath), quote(jlabel0), quote(jneg), quote(jmixed), quote(jcat), quote(jtype) FROM oracle)
-- expect: SELECT count(*) AS sqlite_not_sluice FROM (SELECT id, quote(ja), quote(jb), quote(jbc), quote(jarr), quote(jarr0), quote(jmissing), quote(jidx), quote(jpath), quote(jlabel0), quote(jneg), quote(jmixed), quote(jcat), quote(jtype) FROM oracle EXCEPT SELECT id, quote(ja), quote(jb), quote(jbc), quote(jarr), quote(jarr0), quote(jmissing), quote(jidx), quote(jpath), quote(jlabel0), quote(jneg), quote(jmixed), quote(jcat), quote(jtype) FROM ptrs WHERE id <> 4)
-- expect: SELECT id, quote(ja), quote(jidx), quote(jcat) FROM ptrs WHERE id = 4
