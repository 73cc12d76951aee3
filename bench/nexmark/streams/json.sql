-- Nexmark streams read from JSON files (one object a line) written by `sluice nexmark --format json`
-- (one file a kind). Placeholder, filled by the runner: ${DIR}.
-- Written with the same --events, --rate and --seed, the files hold the events
-- streams/generator.sql reads. The 4-second watermark delay is Flink's (ddl_gen.sql).
CREATE STREAM person (id BIGINT, name TEXT, email_address TEXT, credit_card TEXT, city TEXT,
                      state TEXT, date_time TIMESTAMP, extra TEXT,
                      WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)
  FROM FILE '${DIR}/person.json' FORMAT JSON;
CREATE STREAM auction (id BIGINT, item_name TEXT, description TEXT, initial_bid BIGINT,
                       reserve BIGINT, date_time TIMESTAMP, expires TIMESTAMP, seller BIGINT,
                       category BIGINT, extra TEXT,
                       WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)
  FROM FILE '${DIR}/auction.json' FORMAT JSON;
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel TEXT, url TEXT,
                   date_time TIMESTAMP, extra TEXT,
                   WATERMARK FOR date_time AS date_time - INTERVAL '4' SECOND)
  FROM FILE '${DIR}/bid.json' FORMAT JSON;
