#!/usr/bin/python3
"""Independent validator of `nightout program` outputs (shares no code with the solver).

Re-reads calendar.csv, calendar.ics, areas_timeline.csv, teams.csv and summary.json and
checks every rule given on the command line: period, event weekdays, events per week (or per
calendar month), blackout dates, outdoor season, site gap, site capacity (max_events of the
--candidates files), fixed events (on their date, at the candidate site they lie at), teams
per event and weekly hours; then recomputes
each area's reach from the calendar (geodesic distance by Vincenty's formulae, not the
engine's Karney/PROJ), its dates, times and windows reached and longest gap, the residents
each event reaches (first in its window too) and the objective, and compares them.

usage: validate_program.py OUT --from D --to D (--per-week N | --per-month N) --days Tue,Thu --site-gap-days N
       [--candidates a.geojson,b.geojson] [--fixed FILE.csv]
       --season 4-10 --indoor a,b --blackout FILE --radius-m R --length-h H --officers N
       --team-hours H --timezone ZONE --start HH:MM
Exit 0 when every check passes; 1 with the failures listed.
"""
import argparse
import csv
import datetime as dt
import json
import math
import sys
from collections import defaultdict

import icalendar

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def vincenty(lon1, lat1, lon2, lat2):
    a, f = 6378137.0, 1 / 298.257223563
    b = (1 - f) * a
    L = math.radians(lon2 - lon1)
    U1, U2 = math.atan((1 - f) * math.tan(math.radians(lat1))), math.atan((1 - f) * math.tan(math.radians(lat2)))
    sU1, cU1, sU2, cU2 = math.sin(U1), math.cos(U1), math.sin(U2), math.cos(U2)
    lam = L
    for _ in range(200):
        sl, cl = math.sin(lam), math.cos(lam)
        ss = math.hypot(cU2 * sl, cU1 * sU2 - sU1 * cU2 * cl)
        if ss == 0:
            return 0.0
        cs = sU1 * sU2 + cU1 * cU2 * cl
        sig = math.atan2(ss, cs)
        sa = cU1 * cU2 * sl / ss
        c2a = 1 - sa * sa
        c2sm = cs - 2 * sU1 * sU2 / c2a if c2a else 0.0
        C = f / 16 * c2a * (4 + f * (4 - 3 * c2a))
        prev = lam
        lam = L + (1 - C) * f * sa * (sig + C * ss * (c2sm + C * cs * (-1 + 2 * c2sm * c2sm)))
        if abs(lam - prev) < 1e-13:
            break
    u2 = c2a * (a * a - b * b) / (b * b)
    A = 1 + u2 / 16384 * (4096 + u2 * (-768 + u2 * (320 - 175 * u2)))
    B = u2 / 1024 * (256 + u2 * (-128 + u2 * (74 - 47 * u2)))
    ds = B * ss * (c2sm + B / 4 * (cs * (-1 + 2 * c2sm * c2sm) - B / 6 * c2sm * (-3 + 4 * ss * ss) * (-3 + 4 * c2sm * c2sm)))
    return b * A * (sig - ds)


def weekdays(text):
    out = set()
    for part in text.split(","):
        part = part.strip().lower()
        if "-" in part:
            a, b = (DAYS.index(p.strip()[:3]) for p in part.split("-"))
            d = a
            while True:
                out.add(d)
                if d == b:
                    break
                d = (d + 1) % 7
        elif part:
            out.add(DAYS.index(part[:3]))
    return out


def months(text):
    out = set()
    for part in text.split(","):
        if "-" in part:
            a, b = (int(p) for p in part.split("-"))
            m = a
            while True:
                out.add(m)
                if m == b:
                    break
                m = m % 12 + 1
        elif part.strip():
            out.add(int(part))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--from", dest="first", required=True)
    ap.add_argument("--to", dest="last", required=True)
    ap.add_argument("--per-week", type=int, default=0)
    ap.add_argument("--per-month", type=int, default=0)
    ap.add_argument("--candidates", default="", help="candidate files (GeoJSON), for max_events and fixed events at a site")
    ap.add_argument("--fixed", default="", help="fixed events (CSV: id, name, date, lat, lon)")
    ap.add_argument("--days", default="Tue,Thu,Sat")
    ap.add_argument("--site-gap-days", type=int, required=True)
    ap.add_argument("--season", default="4-10")
    ap.add_argument("--indoor", default="")
    ap.add_argument("--blackout", default="")
    ap.add_argument("--radius-m", type=float, required=True)
    ap.add_argument("--length-h", type=float, default=2)
    ap.add_argument("--start", default="18:00")
    ap.add_argument("--officers", type=int, default=2)
    ap.add_argument("--team-hours", type=float, default=6)
    ap.add_argument("--timezone", default="America/New_York")
    a = ap.parse_args()
    fails = []

    def fail(msg):
        if len(fails) < 40:
            fails.append(msg)

    if bool(a.per_week) == bool(a.per_month):
        ap.error("give one of --per-week and --per-month")
    first, last = dt.date.fromisoformat(a.first), dt.date.fromisoformat(a.last)
    summary = json.load(open(f"{a.out}/summary.json"))
    cal = list(csv.DictReader(open(f"{a.out}/calendar.csv", newline="")))
    areas = list(csv.DictReader(open(f"{a.out}/areas_timeline.csv", newline="")))
    blackout = set()
    if a.blackout:
        for i, row in enumerate(csv.reader(open(a.blackout))):
            if row and row[0][:1].isdigit():
                blackout.add(dt.date.fromisoformat(row[0].strip()))
    indoor = {s for s in a.indoor.split(",") if s}
    season, event_days = months(a.season), weekdays(a.days)
    windows = [(dt.date.fromisoformat(w["first"]), dt.date.fromisoformat(w["last"])) for w in summary["window_list"]]
    if windows[0][0] != first or windows[-1][1] != last or any(windows[i][1] + dt.timedelta(days=1) != windows[i + 1][0] for i in range(len(windows) - 1)):
        fail("windows do not tile the period")

    def window_of(day):
        for i, (w0, w1) in enumerate(windows):
            if w0 <= day <= w1:
                return i
        raise ValueError(day)

    # Rules of each event.
    per_week = defaultdict(int)
    per_month = defaultdict(int)
    by_site = defaultdict(list)
    length = dt.timedelta(hours=a.length_h)
    start_h, start_m = (int(x) for x in a.start.split(":"))
    for r in cal:
        day = dt.date.fromisoformat(r["date"])
        fixed = r["fixed"] == "yes"
        if not first <= day <= last:
            fail(f"{r['date']} {r['site']}: outside the period")
        if r["start"] != a.start:
            fail(f"{r['date']} {r['site']}: starts at {r['start']}, not {a.start}")
        by_site[(r["source"], r["site_id"])].append(day)
        if fixed:
            continue
        if day.weekday() not in event_days:
            fail(f"{r['date']} {r['site']}: a {DAYS[day.weekday()]}, not an event day")
        if day in blackout:
            fail(f"{r['date']} {r['site']}: a blackout date")
        if r["source"] not in indoor and day.month not in season:
            fail(f"{r['date']} {r['site']}: outdoor site ({r['source']}) out of season")
        per_week[(day - first).days // 7] += 1
        per_month[(day.year, day.month)] += 1
    for week, n in per_week.items():
        if a.per_week and n > a.per_week:
            fail(f"week {week + 1}: {n} events, more than {a.per_week}")
    for month, n in per_month.items():
        if a.per_month and n > a.per_month:
            fail(f"month {month[0]}-{month[1]:02d}: {n} events, more than {a.per_month}")

    # Candidate sites (GeoJSON read here): capacity, and where fixed events are held.
    import os
    sites = []  # (source, id, name, lon, lat, max_events or None)
    for path in [p for p in a.candidates.split(",") if p]:
        source = os.path.splitext(os.path.basename(path))[0]
        for k, f in enumerate(json.load(open(path))["features"]):
            props = f.get("properties") or {}
            lon, lat = f["geometry"]["coordinates"][:2]
            sid = str(props.get("id")) if props.get("id") not in (None, "") else str(k + 1)
            cap = props.get("max_events")
            sites.append((source, sid, props.get("name") or sid, lon, lat, None if cap in (None, "") else int(cap)))
    events_at = defaultdict(int)
    for r in cal:
        events_at[(r["source"], r["site"])] += 1
    for source, sid, name, lon, lat, cap in sites:
        if cap is not None and events_at[(source, name)] > cap:
            fail(f"site {source} {name}: {events_at[(source, name)]} events, more than its max_events {cap}")
    if a.fixed:
        for fx in csv.DictReader(open(a.fixed, newline="")):
            day = dt.date.fromisoformat(fx["date"])
            if not first <= day <= last:
                continue
            rows = [r for r in cal if r["date"] == fx["date"] and r["fixed"] == "yes"]
            if not rows:
                fail(f"fixed event {fx['id']} on {fx['date']} is not in the calendar")
                continue
            near = [(vincenty(float(fx["lon"]), float(fx["lat"]), s[3], s[4]), s) for s in sites]
            near = [x for x in near if x[0] <= 10]
            if near:
                s = min(near)[1]
                if not any(r["source"] == s[0] and r["site"] == s[2] for r in rows):
                    fail(f"fixed event {fx['id']} lies at {s[0]} {s[2]} but the calendar holds it at {[(r['source'], r['site']) for r in rows]}")
    for site, days in by_site.items():
        days.sort()
        for x, y in zip(days, days[1:]):
            if (y - x).days < a.site_gap_days:
                fail(f"site {site}: events on {x} and {y}, closer than {a.site_gap_days} days")

    # Staffing: teams per event and weekly hours (Monday to Sunday).
    teams_path = f"{a.out}/teams.csv"
    try:
        teams = {t["team_id"]: t for t in csv.DictReader(open(teams_path, newline=""))}
    except FileNotFoundError:
        teams = None
    if teams is not None:
        week_hours, hours, events = defaultdict(float), defaultdict(float), defaultdict(int)
        for r in cal:
            staff = [t for t in r["officers"].split(";") if t]
            if r["unstaffed_reason"]:
                if staff:
                    fail(f"{r['date']} {r['site']}: unstaffed yet has officers")
                continue
            if len(staff) != a.officers:
                fail(f"{r['date']} {r['site']}: {len(staff)} teams, not {a.officers}")
            day = dt.date.fromisoformat(r["date"])
            for t in staff:
                if t not in teams:
                    fail(f"{r['date']}: unknown team {t}")
                    continue
                week_hours[(t, day.isocalendar()[:2])] += a.length_h
                hours[t] += a.length_h
                events[t] += 1
        for (t, week), h in week_hours.items():
            if h > float(teams[t]["weekly_hours"]) + 1e-9:
                fail(f"team {t}: {h} h in week {week}, more than its {teams[t]['weekly_hours']}")
        for t, row in teams.items():
            if abs(float(row["hours"]) - hours[t]) > 1e-9 or int(row["events"]) != events[t]:
                fail(f"teams.csv: {t} says {row['events']} events / {row['hours']} h, the calendar {events[t]} / {hours[t]}")
        # summary.json's spread of hours over the year, recomputed from the calendar.
        hs = [hours[t] for t in teams]
        mean = sum(hs) / len(hs)
        sd = math.sqrt(sum((h - mean) ** 2 for h in hs) / len(hs))
        st = summary["staffing"]
        want = {"hours_min": min(hs), "hours_max": max(hs), "hours_mean": mean, "hours_sd": sd, "hours_spread": max(hs) - min(hs)}
        for k, v in want.items():
            if abs(st[k] - v) > 1e-6:
                fail(f"summary staffing.{k} is {st[k]}, recomputed {v}")
        km = sum(float(t["travel_km"]) for t in teams.values())
        if abs(st["travel_km"] - km) > 0.05 * len(teams) + 1e-9:  # teams.csv rounds to 0.1 km
            fail(f"summary staffing.travel_km is {st['travel_km']}, teams.csv sums to {km}")

    # Reach recomputed: each area's dates, times, windows, longest gap; each event's residents.
    reached = defaultdict(list)  # area index -> dates
    pops = [float(x["population"]) for x in areas]
    seen = set()  # (window, area)
    objective = 0.0
    for idx, r in enumerate(cal):  # calendar.csv is in date order: first-in-window follows it
        day = dt.date.fromisoformat(r["date"])
        w = window_of(day)
        if r["window"] != str(w + 1):
            fail(f"{r['date']}: window {r['window']}, expected {w + 1}")
        lon, lat = float(r["lon"]), float(r["lat"])
        got, residents, first_time = 0, 0.0, 0.0
        for i, ar in enumerate(areas):
            d = vincenty(lon, lat, float(ar["rep_lon"]), float(ar["rep_lat"]))
            if abs(d - a.radius_m) < 0.01:
                fail(f"area {ar['area_id']} is {d} m from {r['site']}: too close to the radius to judge")
            if d <= a.radius_m:
                got += 1
                residents += pops[i]
                reached[i].append(day)
                if (w, i) not in seen:
                    seen.add((w, i))
                    first_time += pops[i]
                    objective += pops[i]
        if got != int(r["areas_reached"]) or abs(residents - float(r["residents_reached"])) > 0.5 or abs(first_time - float(r["residents_first_in_window"])) > 0.5:
            fail(f"{r['date']} {r['site']}: reaches {got} areas / {residents:.0f} / first {first_time:.0f}; calendar.csv says "
                 f"{r['areas_reached']} / {r['residents_reached']} / {r['residents_first_in_window']}")
    meeting = 0
    for i, ar in enumerate(areas):
        days = sorted(reached[i])
        wins = {window_of(x) for x in days}
        if days:
            gaps = [(days[0] - first).days] + [(y - x).days for x, y in zip(days, days[1:])] + [(last - days[-1]).days]
            longest = max(gaps)
        else:
            longest = (last - first).days + 1
        meets = len(wins) == len(windows)
        meeting += meets
        expect = {"times_reached": str(len(days)), "windows_reached": str(len(wins)), "longest_gap_days": str(longest),
                  "meets_target": "yes" if meets else "no", "dates_reached": ";".join(x.isoformat() for x in days)}
        for k, v in expect.items():
            if ar[k] != v:
                fail(f"area {ar['area_id']}: {k} is {ar[k]!r}, recomputed {v!r}")
        if not meets and not ar["reason"]:
            fail(f"area {ar['area_id']} misses the target without a reason")
    obj = summary["objective"]
    if not summary.get("priority_field") and abs(objective - obj["value"]) > 1e-6 * max(1, objective):
        fail(f"objective: summary says {obj['value']}, recomputed {objective}")
    if obj["bound"] < obj["value"] - 1e-6:
        fail("bound below the objective")
    if obj["value"] > 0 and not obj["proven_optimal"] and abs(obj["gap"] - (obj["bound"] - obj["value"]) / obj["value"]) > 1e-9:
        fail("gap is not (bound - value) / value")
    if summary["target"]["areas_meeting"] != meeting:
        fail(f"summary: {summary['target']['areas_meeting']} areas meet the target, recomputed {meeting}")
    if summary["events"] != len(cal):
        fail("summary events differ from calendar.csv")
    # Per month: events and areas reached (area_ids of calendar.csv against the recomputed reach).
    month_events, month_areas = defaultdict(int), defaultdict(set)
    for idx, r in enumerate(cal):
        m = r["date"][:7]
        month_events[m] += 1
        month_areas[m] |= set(x for x in r["area_ids"].split(";") if x)
    for m in summary["months"]:
        if m["events"] != month_events[m["month"]] or m["areas_reached"] != len(month_areas[m["month"]]):
            fail(f"summary month {m['month']}: {m['events']} events / {m['areas_reached']} areas; calendar.csv {month_events[m['month']]} / {len(month_areas[m['month']])}")
    ids = [ar["area_id"] for ar in areas]
    for r in cal:
        lon, lat = float(r["lon"]), float(r["lat"])
        want = sorted(ids[i] for i, ar in enumerate(areas) if vincenty(lon, lat, float(ar["rep_lon"]), float(ar["rep_lat"])) <= a.radius_m)
        if sorted(x for x in r["area_ids"].split(";") if x) != want:
            fail(f"{r['date']} {r['site']}: area_ids are not the areas within {a.radius_m} m")
            break

    # calendar.ics, parsed by python3-icalendar: one VEVENT per row, stable unique UIDs, times in the zone.
    ics = icalendar.Calendar.from_ical(open(f"{a.out}/calendar.ics", "rb").read())
    events_ics = [c for c in ics.walk("VEVENT")]
    tzids = [str(c["TZID"]) for c in ics.walk("VTIMEZONE")]
    if tzids != [a.timezone]:
        fail(f"VTIMEZONE {tzids}, expected [{a.timezone}]")
    if len(events_ics) != len(cal):
        fail(f"calendar.ics has {len(events_ics)} events, calendar.csv {len(cal)}")
    uids = [str(e["UID"]) for e in events_ics]
    if len(set(uids)) != len(uids):
        fail("calendar.ics: UIDs repeat")
    for e, r in zip(events_ics, cal):
        s, t = e["DTSTART"], e["DTEND"]
        if s.params.get("TZID") != a.timezone or t.params.get("TZID") != a.timezone:
            fail(f"{r['date']}: DTSTART/DTEND not in {a.timezone}")
        start = dt.datetime.combine(dt.date.fromisoformat(r["date"]), dt.time(start_h, start_m))
        if s.dt.replace(tzinfo=None) != start or t.dt.replace(tzinfo=None) != start + length:
            fail(f"{r['date']}: ICS {s.dt} - {t.dt}, expected {start} + {a.length_h} h")
        geo = e["GEO"]
        if abs(geo.latitude - float(r["lat"])) > 1e-6 or abs(geo.longitude - float(r["lon"])) > 1e-6:
            fail(f"{r['date']}: GEO {geo.latitude},{geo.longitude} is not the site")
        if str(e["LOCATION"]) != r["site"]:
            fail(f"{r['date']}: LOCATION {e['LOCATION']!r}, not {r['site']!r}")
        if not str(e.get("DESCRIPTION", "")).startswith(f"Reaches {r['areas_reached']} neighborhood"):
            fail(f"{r['date']}: DESCRIPTION does not say whom it reaches")

    if fails:
        print("validate_program: FAILED\n  " + "\n  ".join(fails))
        return 1
    print(f"validate_program: {len(cal)} events, {len(areas)} areas, objective {objective:.0f}: every check passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
