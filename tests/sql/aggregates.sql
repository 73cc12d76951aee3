-- The aggregates beyond COUNT/SUM/MIN/MAX/AVG over GROUP BY, checked against
-- SQLite over the same rows (the oracle) where SQLite has them: DISTINCT and
-- FILTER directly (FILTER also as CASE), the variances by their SQL formulas,
-- collect_list as json_group_array in arrival order, earliest/latest as the
-- value at the smallest/largest event time. HAVING uses them too.
CREATE STREAM vals (grp TEXT, x INTEGER, r REAL, t TEXT, ts TIMESTAMP,
                    WATERMARK FOR ts AS ts - INTERVAL '1' SECOND)
  FROM FILE 'data/agg_values.csv' FORMAT CSV (header = true);
CREATE QUERY dist AS
  SELECT grp, COUNT(DISTINCT x) AS nx, COUNT(DISTINCT t) AS nt, SUM(DISTINCT x) AS sx,
         AVG(DISTINCT r) AS ar, MAX(DISTINCT t) AS mt,
         COUNT(*) FILTER (WHERE x > 3) AS big, SUM(r) FILTER (WHERE t = 'x') AS rx,
         COUNT(DISTINCT x) FILTER (WHERE r < 5) AS nxr
  FROM vals GROUP BY grp;
CREATE QUERY spread AS
  SELECT grp, var_pop(x) AS vp, var_samp(x) AS vs, stddev_pop(r) AS sp, stddev_samp(r) AS ss,
         variance(x) AS v, stddev(x) AS sd
  FROM vals GROUP BY grp;
CREATE QUERY lists AS
  SELECT grp, collect_list(x) AS xs, collect_list(t) AS ts_, earliest(x) AS first_x,
         latest(x) AS last_x, earliest(t) AS first_t, latest(t) AS last_t,
         approx_count_distinct(t) AS act, collect_list(r) FILTER (WHERE x = 3) AS r3
  FROM vals GROUP BY grp;
CREATE QUERY pct AS
  SELECT grp, approx_percentile(x, 0.5) AS med, approx_percentile(r, 0) AS lo,
         approx_percentile(r, 1) AS hi, approx_percentile(x, 0.25) AS q1
  FROM vals GROUP BY grp;
CREATE QUERY picky AS
  SELECT grp, COUNT(DISTINCT x) AS nx
  FROM vals GROUP BY grp
  HAVING COUNT(DISTINCT x) >= 2 AND stddev_samp(x) > 1 AND COUNT(*) FILTER (WHERE t = 'x') > 0;
-- load: raw(grp TEXT, x INTEGER, r REAL, t TEXT, ts TEXT) data/agg_values.csv
-- The import makes empty fields '', which Sluice's CSV reads as NULL: the oracle makes them NULL.
-- expect: CREATE VIEW oracle AS SELECT rowid AS seq, nullif(grp, '') AS grp, nullif(x, '') AS x, nullif(r, '') AS r, nullif(t, '') AS t, nullif(ts, '') AS ts FROM raw
-- expect: SELECT * FROM dist ORDER BY grp
-- expect: SELECT count(*) FROM (SELECT * FROM dist EXCEPT SELECT grp, count(DISTINCT x), count(DISTINCT t), sum(DISTINCT x), avg(DISTINCT r), max(DISTINCT t), count(*) FILTER (WHERE x > 3), sum(r) FILTER (WHERE t = 'x'), count(DISTINCT x) FILTER (WHERE r < 5) FROM oracle GROUP BY grp)
-- expect: SELECT count(*) FROM (SELECT grp, big, rx FROM dist EXCEPT SELECT grp, sum(CASE WHEN x > 3 THEN 1 ELSE 0 END), sum(CASE WHEN t = 'x' THEN r END) FROM oracle GROUP BY grp)
-- expect: SELECT * FROM spread ORDER BY grp
-- expect: SELECT count(*) FROM (SELECT grp, round(vp, 9), round(vs, 9), round(sp, 9), round(ss, 9), round(v, 9), round(sd, 9) FROM spread EXCEPT SELECT grp, round((sum(x*x) - 1.0*sum(x)*sum(x)/count(x)) / count(x), 9), round((sum(x*x) - 1.0*sum(x)*sum(x)/count(x)) / (count(x) - 1), 9), round(sqrt((sum(r*r) - sum(r)*sum(r)/count(r)) / count(r)), 9), round(sqrt((sum(r*r) - sum(r)*sum(r)/count(r)) / (count(r) - 1)), 9), round((sum(x*x) - 1.0*sum(x)*sum(x)/count(x)) / (count(x) - 1), 9), round(sqrt((sum(x*x) - 1.0*sum(x)*sum(x)/count(x)) / (count(x) - 1)), 9) FROM oracle GROUP BY grp)
-- expect: SELECT * FROM lists ORDER BY grp
-- expect: SELECT count(*) FROM (SELECT grp, xs, ts_, act FROM lists EXCEPT SELECT DISTINCT grp, json_group_array(x) OVER w, json_group_array(t) OVER w, (SELECT count(DISTINCT t) FROM oracle n WHERE n.grp IS o.grp) FROM oracle o WINDOW w AS (PARTITION BY grp ORDER BY seq ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))
-- expect: SELECT count(*) FROM (SELECT grp, first_x, last_x, first_t, last_t FROM lists EXCEPT SELECT g.grp, (SELECT x FROM oracle o WHERE o.grp IS g.grp AND x IS NOT NULL AND ts IS NOT NULL ORDER BY ts, seq LIMIT 1), (SELECT x FROM oracle o WHERE o.grp IS g.grp AND x IS NOT NULL AND ts IS NOT NULL ORDER BY ts DESC, seq DESC LIMIT 1), (SELECT t FROM oracle o WHERE o.grp IS g.grp AND t IS NOT NULL AND ts IS NOT NULL ORDER BY ts, seq LIMIT 1), (SELECT t FROM oracle o WHERE o.grp IS g.grp AND t IS NOT NULL AND ts IS NOT NULL ORDER BY ts DESC, seq DESC LIMIT 1) FROM (SELECT DISTINCT grp FROM oracle) g)
-- expect: SELECT * FROM pct ORDER BY grp
-- expect: SELECT * FROM picky ORDER BY grp
-- expect: SELECT count(*) FROM (SELECT * FROM picky EXCEPT SELECT grp, count(DISTINCT x) FROM oracle GROUP BY grp HAVING count(DISTINCT x) >= 2 AND (sum(x*x) - 1.0*sum(x)*sum(x)/count(x)) / (count(x) - 1) > 1 AND count(*) FILTER (WHERE t = 'x') > 0)
