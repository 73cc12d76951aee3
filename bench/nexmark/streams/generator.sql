-- Nexmark streams from the built-in generator (connectors/source_nexmark.c).
-- Placeholders, filled by the runner (envsubst or sed): ${EVENTS}, ${RATE}, ${SEED}.
-- Each stream reads the same global event sequence and keeps its own kind, so
-- the three together are one Nexmark run (2 % persons, 6 % auctions, 92 % bids).
-- Event time is the generator's (deterministic from the event number and the
-- rate); the 4-second watermark delay is Flink's (ddl_gen.sql).
CREATE STREAM person (id BIGINT, name TEXT, email_address TEXT, credit_card TEXT, city TEXT,
                      state TEXT, date_time TIMESTAMP, extra TEXT,
                      WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)
  FROM NEXMARK WITH (kind = 'person', events = ${EVENTS}, rate = ${RATE}, seed = ${SEED});
CREATE STREAM auction (id BIGINT, item_name TEXT, description TEXT, initial_bid BIGINT,
                       reserve BIGINT, date_time TIMESTAMP, expires TIMESTAMP, seller BIGINT,
                       category BIGINT, extra TEXT,
                       WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)
  FROM NEXMARK WITH (kind = 'auction', events = ${EVENTS}, rate = ${RATE}, seed = ${SEED});
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel TEXT, url TEXT,
                   date_time TIMESTAMP, extra TEXT,
                   WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)
  FROM NEXMARK WITH (kind = 'bid', events = ${EVENTS}, rate = ${RATE}, seed = ${SEED});
