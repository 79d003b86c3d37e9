#!/usr/bin/env python3
"""The peer of bench/report: the annual report's headline figures as a landlord's analyst gets them
today, by hand, with GROUP BY queries on the case store through Python's sqlite3 module.

    python3 bench/report/peer_report.py DB YEAR

Prints one "key=value" line per figure, the same keys report_bench prints for complaintsd's
report, so the bench can say whether the two agree:
  received.<stage>.<YYYY-MM>          stage one / two complaints received (stage opened) by month
  responded.<stage>, on_time.<stage>  responses sent in the year, and those by the store's respond
                                      deadline (the Code's, extensions included)
  outcome.<stage>.<code>              outcomes of the responses sent in the year
  channel.<name>                      stage one complaints received, by channel
  area.<area>, area_confirmed.<area>, area_upheld.<area>   the same, by service area
Months are taken in UTC (strftime on the stored Unix seconds), as an analyst would; the year starts
at midnight on 1 April in London, which is always in summer time (23:00 UTC on 31 March).
"""
import calendar
import sqlite3
import sys

COMPLAINT = "c.type = 'complaint' AND c.status <> 'refused'"


def year_bounds(year):
    start = calendar.timegm((year, 3, 31, 23, 0, 0))
    end = calendar.timegm((year + 1, 3, 31, 23, 0, 0))
    return start, end


def main():
    db, year = sys.argv[1], int(sys.argv[2])
    start, end = year_bounds(year)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    out = []

    for stage, month, n in con.execute(
            f"""SELECT s.number, strftime('%Y-%m', s.opened_at, 'unixepoch'), count(*)
                FROM stages s JOIN cases c ON c.id = s.case_id
                WHERE {COMPLAINT} AND s.number IN (1, 2) AND s.opened_at >= ?1 AND s.opened_at < ?2
                GROUP BY 1, 2""", (start, end)):
        out.append((f"received.{stage}.{month}", n))

    # Responses in the year, as CH02 counts them: not the refused stage of a refused complaint,
    # not the last stage of a complaint withdrawn before its response.
    for stage, n, on_time in con.execute(
            """SELECT s.number, count(*), sum(s.responded_at <= d.due_at)
               FROM stages s JOIN cases c ON c.id = s.case_id
               JOIN deadlines d ON d.case_id = s.case_id AND d.stage = s.number
                 AND d.kind = 'respond' AND d.superseded_at IS NULL
               WHERE c.type = 'complaint' AND s.number IN (1, 2)
                 AND NOT (c.status = 'refused' AND s.number = c.stage)
                 AND NOT (c.status = 'withdrawn' AND s.number = c.stage
                          AND c.closed_at < s.responded_at)
                 AND s.responded_at >= ?1 AND s.responded_at < ?2
               GROUP BY 1""", (start, end)):
        out.append((f"responded.{stage}", n))
        out.append((f"on_time.{stage}", on_time))

    for stage, outcome, n in con.execute(
            f"""SELECT s.number, s.outcome, count(*) FROM stages s JOIN cases c ON c.id = s.case_id
                WHERE {COMPLAINT} AND s.number IN (1, 2)
                  AND s.outcome IN ('upheld', 'partly_upheld', 'not_upheld')
                  AND s.responded_at >= ?1 AND s.responded_at < ?2
                GROUP BY 1, 2""", (start, end)):
        out.append((f"outcome.{stage}.{outcome}", n))

    for channel, n in con.execute(
            f"""SELECT c.channel, count(*) FROM stages s JOIN cases c ON c.id = s.case_id
                WHERE {COMPLAINT} AND s.number = 1 AND s.opened_at >= ?1 AND s.opened_at < ?2
                GROUP BY 1""", (start, end)):
        out.append((f"channel.{channel}", n))

    for area, n, confirmed, upheld in con.execute(
            f"""SELECT CASE c.service_area WHEN '' THEN 'other' ELSE c.service_area END, count(*),
                       sum(c.service_area_by <> ''),
                       sum(s.outcome IN ('upheld', 'partly_upheld'))
                FROM stages s JOIN cases c ON c.id = s.case_id
                WHERE {COMPLAINT} AND s.number = 1 AND s.opened_at >= ?1 AND s.opened_at < ?2
                GROUP BY 1""", (start, end)):
        out.append((f"area.{area}", n))
        out.append((f"area_confirmed.{area}", confirmed))
        out.append((f"area_upheld.{area}", upheld))

    con.close()
    sys.stdout.write("".join(f"{key}={value}\n" for key, value in sorted(out)))


if __name__ == "__main__":
    main()
