-- mode: check
-- NEXMARK's binder errors, all reported in one check: a stream declares its kind's
-- fields by name, in order, all of them; the kind is one of three.
CREATE STREAM b1 (auction BIGINT, bidder BIGINT, cost BIGINT, channel TEXT, url TEXT,
                  date_time TIMESTAMP, extra TEXT)
  FROM NEXMARK WITH (kind = 'bid');
CREATE STREAM b2 (auction BIGINT, bidder BIGINT)
  FROM NEXMARK;
CREATE STREAM p1 (id BIGINT, name TEXT, email_address TEXT, credit_card TEXT, city TEXT,
                  state TEXT, date_time TIMESTAMP, extra TEXT, more TEXT)
  FROM NEXMARK WITH (kind = 'person');
CREATE STREAM x (id BIGINT) FROM NEXMARK WITH (kind = 'lot');
CREATE STREAM a (id BIGINT, item_name TEXT, description TEXT, initial_bid BIGINT,
                 reserve BIGINT, date_time TIMESTAMP, expires TIMESTAMP, seller BIGINT,
                 category BIGINT, extra TEXT)
  FROM NEXMARK WITH (kind = 'AUCTION', out_of_order = 953);
