-- SOCKET LISTEN and URL in SHOW STREAMS and DESCRIBE: the sender column, options as
-- written with an Authorization header's value hidden. Nothing is opened.
-- stdout
CREATE STREAM logs (line TEXT) FROM SOCKET LISTEN '127.0.0.1:5140' FORMAT TEXT
  WITH (max_senders = 8, max_record_bytes = 4096);
CREATE STREAM events (id BIGINT, kind TEXT)
  FROM URL 'https://events.example.com/stream' FORMAT JSON
  WITH (headers = 'Authorization: Bearer s3cret; Accept: application/json; charset=utf-8',
        resume_field = '$.id', stall_timeout = '30 seconds', retry_attempts = 5);
SHOW STREAMS;
DESCRIBE logs;
DESCRIBE events;
