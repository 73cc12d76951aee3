CREATE STREAM events (id BIGINT, "user" TEXT, v BIGINT) FROM URL 'http://127.0.0.1:/stream' FORMAT JSON
  WITH (headers = 'Authorization: Bearer s3cret; Accept: application/x-ndjson', resume_field = 'id', retry_initial = '50 milliseconds');
CREATE QUERY per_user AS SELECT "user", COUNT(*) AS n, SUM(v) AS total FROM events GROUP BY "user" TRIGGER EVERY 100 MILLISECONDS;
