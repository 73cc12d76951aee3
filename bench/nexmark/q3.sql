-- Nexmark q3, local item suggestion: nexmark/nexmark, nexmark-flink/.../queries/q3.sql
--   SELECT P.name, P.city, P.state, A.id
--   FROM auction AS A INNER JOIN person AS P on A.seller = P.id
--   WHERE A.category = 10 and (P.state = 'OR' OR P.state = 'ID' OR P.state = 'CA');
-- Flink's join is unbounded: it keeps every person and every auction forever.
-- Sluice refuses a join of two streams without a time bound, so the seller
-- must have joined at most 10 minutes before the auction (or up to 10 seconds
-- after it: the generator picks a seller among the last 1000 persons, and a
-- few from the next 10 not yet created). Over the generator's events at 100
-- events a second or more no match falls outside that bound, so the table is
-- Flink's (q3.oracle.sql is Flink's unbounded join); the state is the last 10
-- minutes of persons. Persons as a lookup table (another query's result
-- table) would not do: a lookup sees the table as of its batch's start, so an
-- auction whose seller arrived in the same batch would find no one.
CREATE QUERY q3 AS
  SELECT P.name, P.city, P.state, A.id
  FROM auction A JOIN person P
    ON A.seller = P.id
   AND A.date_time BETWEEN P.date_time - INTERVAL '10' SECOND AND P.date_time + INTERVAL '10' MINUTE
  WHERE A.category = 10 AND P.state IN ('OR', 'ID', 'CA');
