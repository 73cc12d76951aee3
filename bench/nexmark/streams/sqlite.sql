-- The SQLite oracles' tables (sqlite3 CLI): the CSV files written by
-- `sluice nexmark --format csv`, loaded as streams/csv.sql reads them.
-- Placeholder, filled by the runner: ${DIR}. Timestamps stay the text the
-- files hold, 'YYYY-MM-DD HH:MM:SS.ffffff', which is also how Sluice writes a
-- TIMESTAMP to its result tables.
CREATE TABLE person (id INTEGER, name TEXT, email_address TEXT, credit_card TEXT, city TEXT,
                     state TEXT, date_time TEXT, extra TEXT);
CREATE TABLE auction (id INTEGER, item_name TEXT, description TEXT, initial_bid INTEGER,
                      reserve INTEGER, date_time TEXT, expires TEXT, seller INTEGER,
                      category INTEGER, extra TEXT);
CREATE TABLE bid (auction INTEGER, bidder INTEGER, price INTEGER, channel TEXT, url TEXT,
                  date_time TEXT, extra TEXT);
.import --csv ${DIR}/person.csv person
.import --csv ${DIR}/auction.csv auction
.import --csv ${DIR}/bid.csv bid
