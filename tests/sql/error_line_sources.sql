-- mode: check
-- SOCKET LISTEN and URL streams that cannot be: each error says why, where.
CREATE STREAM a (line TEXT) FROM SOCKET LISTEN 'nohostport' FORMAT TEXT;
CREATE STREAM b (line TEXT) FROM SOCKET '127.0.0.1:5140' FORMAT TEXT WITH (max_senders = 2);
CREATE STREAM c (line TEXT, sender TEXT) FROM SOCKET LISTEN '127.0.0.1:5140' FORMAT TEXT;
CREATE STREAM d (line TEXT) FROM URL 'ftp://example.com/x' FORMAT TEXT;
CREATE STREAM e (line TEXT) FROM URL 'http://example.com/x' FORMAT TEXT
  WITH (headers = 'Bearer x');
CREATE STREAM f (line TEXT) FROM URL 'http://example.com/x' FORMAT TEXT
  WITH (resume_header = 'Last Event');
CREATE STREAM g (id BIGINT) FROM URL 'http://example.com/x' FORMAT JSON
  WITH (resume_field = '$.a[');
CREATE STREAM h (line TEXT) FROM URL LISTEN '127.0.0.1:1' FORMAT TEXT;
