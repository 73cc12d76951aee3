-- Nexmark q19, auction top-10 price: nexmark/nexmark, nexmark-flink/.../queries/q19.sql
--   SELECT * FROM
--   (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC) AS rank_number FROM bid)
--   WHERE rank_number <= 10;
-- The same top-N, with a tie-break Flink's text leaves open: of bids at the
-- same price the earlier ranks first, so the table does not depend on the
-- order rows arrive in. A bid pushed out of an auction's ten is deleted from
-- the table and the ranks below it renumbered.
CREATE QUERY q19 AS
  SELECT *
  FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC, date_time ASC)
                    AS rank_number
        FROM bid)
  WHERE rank_number <= 10;
