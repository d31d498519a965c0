"""Build hook: the deadlines in the reader's calendar, and the catalog as a feed, with no server.

From each call's published metadata (site_state.STATE.calls, filled by metadata.py):
- agenda/<id>.ics: an iCalendar file (RFC 5545) with every dated phase and the closing date as
  events, at their hour in Europe/Paris (a VTIMEZONE of its own); « Ajouter à mon agenda » on the
  card and the summary card leads to it (STATE.agendas). agenda/appels.ics: every call's events at once.
- flux.atom: an Atom feed (RFC 4287) of the catalog, the most recently updated call first,
  linked from every page's <head>.

Written by hand, byte for byte the same from one build to the next: an event's stamp is the
call's review date, never the time of the build. Addresses are the public ones when the site has
one (SITE_URL); otherwise the feed's links are relative to it and the events carry no URL.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timezone
from xml.sax.saxutils import escape, quoteattr

from etalab import call_uuid  # beside this hook
from mkdocs.structure.files import File
from site_state import STATE, Agenda, PublishedCall  # beside this hook

from checker.dates import PARIS, parse_datetime

FOLDER = "agenda"
ALL = f"{FOLDER}/appels.ics"
FEED = "flux.atom"
PRODID = "-//appels-numeriques//agenda des appels//FR"
FEED_ID = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'appels-numeriques:catalogue')}"

PARIS_ZONE = """BEGIN:VTIMEZONE
TZID:Europe/Paris
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE""".splitlines()


def text(value: str) -> str:
    """An iCalendar TEXT value: backslashes, semicolons, commas and line breaks escaped."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 § 3.1), never inside a UTF-8 character."""
    out, current = [], ""
    for char in line:
        if len((current + char).encode("utf-8")) > (75 if not out else 74):
            out.append(current)
            current = ""
        current += char
    out.append(current)
    return "\r\n ".join(out)


def events(meta: dict) -> list[tuple[str, str, datetime]]:
    """(uid part, title, moment in Paris) of every dated step of a call, the closing date included."""
    found, seen = [], set()
    for phase in meta.get("phases", []):
        if phase.get("date_cloture"):
            moment = parse_datetime(phase["date_cloture"]).astimezone(PARIS)
            found.append((phase["id"], phase["titre"], moment))
            seen.add(moment)
    if meta.get("date_cloture"):
        moment = parse_datetime(meta["date_cloture"]).astimezone(PARIS)
        if moment not in seen:
            found.append(("cloture", "Date limite de dépôt", moment))
    return sorted(found, key=lambda e: e[2])


def page_address(config, url: str) -> str | None:
    site_url = config.get("site_url")
    return site_url.rstrip("/") + "/" + url if site_url else None


def vevents(meta: dict, address: str | None) -> list[str]:
    stamp = datetime.fromisoformat(str(meta["date_mise_a_jour"])[:10]).strftime("%Y%m%dT000000Z")
    lines = []
    for part, title, moment in events(meta):
        description = f"{meta['titre']}. {meta['promesse']}" + (f"\n{address}" if address else "")
        summary = f"{title} — {meta['titre']}"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{meta['id']}-{part}@appels-numeriques",
            f"DTSTAMP:{stamp}",
            f"DTSTART;TZID=Europe/Paris:{moment.strftime('%Y%m%dT%H%M%S')}",
            f"SUMMARY:{text(summary)}",
            f"DESCRIPTION:{text(description)}",
        ]
        if address:
            lines.append(f"URL:{address}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    return lines


def calendar(name: str, body: list[str]) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{text(name)}",
        "X-WR-TIMEZONE:Europe/Paris",
        *PARIS_ZONE,
        *body,
        "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)


def feed(config, calls: list[PublishedCall]) -> str:
    def updated(meta) -> str:
        return datetime.fromisoformat(str(meta["date_mise_a_jour"])[:10]).replace(tzinfo=PARIS).isoformat()

    ordered = sorted(calls, key=lambda c: (str(c.meta["date_mise_a_jour"]), c.meta["id"]), reverse=True)
    site = config.get("site_url")
    link = lambda url: (site.rstrip("/") + "/" + url) if site else (url or "./")  # noqa: E731 — relative to the feed
    entries = []
    for call in ordered:
        meta = call.meta
        entries.append(f"""  <entry>
    <id>urn:uuid:{call_uuid(meta["id"])}</id>
    <title>{escape(meta["titre"])}</title>
    <updated>{updated(meta)}</updated>
    <link rel="alternate" type="text/html" href={quoteattr(link(call.url))}/>
    <summary>{escape(meta["promesse"])}</summary>
  </entry>""")
    latest = updated(ordered[0].meta) if ordered else datetime(2020, 1, 1, tzinfo=timezone.utc).isoformat()
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr">
  <id>{FEED_ID}</id>
  <title>{escape(config["site_name"])} : nouveaux appels et mises à jour</title>
  <subtitle>Les appels à projets et mesures du catalogue, le plus récemment ajouté ou mis à jour d'abord.</subtitle>
  <updated>{latest}</updated>
  <author><name>{escape(config["site_name"])}</name></author>
  <link rel="self" type="application/atom+xml" href={quoteattr(link(FEED))}/>
  <link rel="alternate" type="text/html" href={quoteattr(link(""))}/>
{chr(10).join(entries)}
</feed>
"""


def on_files(files, config):
    calls = list(STATE.calls.values())
    agendas, everything = {}, []
    for call in calls:
        meta = call.meta
        body = vevents(meta, page_address(config, call.url))
        if not body:
            continue  # nothing dated: no « Ajouter à mon agenda »
        path = f"{FOLDER}/{meta['id']}.ics"
        files.append(File.generated(config, path, content=calendar(meta["titre"], body)))
        agendas[meta["id"]] = Agenda(path, len(events(meta)))
        everything += body
    files.append(File.generated(config, ALL, content=calendar(config["site_name"], everything)))
    files.append(File.generated(config, FEED, content=feed(config, calls)))
    STATE.agendas = agendas  # the cards and the summary cards link them
    return files


def on_env(env, config, files):
    env.globals["agenda_feed"] = FEED
    env.globals["agenda_all"] = ALL
    return env
