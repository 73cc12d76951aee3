-- mode: check
-- A port past 65535 is refused when the statement is bound, saying so
-- (it was tried, and reported as "connection refused").
CREATE STREAM s (line TEXT) FROM SOCKET 'localhost:99999' FORMAT TEXT;
CREATE STREAM l (line TEXT) FROM SOCKET LISTEN '127.0.0.1:70000' FORMAT TEXT;
CREATE STREAM ok (line TEXT) FROM SOCKET 'localhost:65535' FORMAT TEXT;
