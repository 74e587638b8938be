// Expand an iCalendar file with ical.js (the engine of Thunderbird), as a client would.
//
//   node expand.mjs FEED.ics [FEED.ics ...]
//
// Prints one JSON array per file: every occurrence as {uid, recurrenceId, start,
// end, zone}, times in UTC (ISO 8601). The file's own VTIMEZONEs are registered
// first and are the only zone data ical.js has, so a wrong VTIMEZONE shows up as
// wrong UTC times; a TZID without a VTIMEZONE shows up as zone "floating".
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

// A bound on the occurrences of one series, so a broken RRULE cannot loop forever.
const LIMIT = 10000;

function utc(time) {
  return time.toJSDate().toISOString();
}

function zoneOf(time) {
  return time.zone ? time.zone.tzid : "floating";
}

function expand(text) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  ICAL.TimezoneService.reset();
  for (const vtimezone of calendar.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(vtimezone);
  }
  const masters = new Map();
  const overrides = new Map();
  for (const vevent of calendar.getAllSubcomponents("vevent")) {
    const uid = vevent.getFirstPropertyValue("uid");
    if (vevent.hasProperty("recurrence-id")) {
      if (!overrides.has(uid)) overrides.set(uid, []);
      overrides.get(uid).push(vevent);
    } else {
      masters.set(uid, vevent);
    }
  }
  const occurrences = [];
  for (const [uid, vevent] of masters) {
    // Only this series' overrides: given all of them, ical.js would attach every
    // RECURRENCE-ID in the file to every series.
    const event = new ICAL.Event(vevent, {
      strictExceptions: true,
      exceptions: overrides.get(uid) || [],
    });
    if (!event.isRecurring()) {
      occurrences.push({
        uid,
        recurrenceId: null,
        start: utc(event.startDate),
        end: utc(event.endDate),
        zone: zoneOf(event.startDate),
      });
      continue;
    }
    const iterator = event.iterator();
    let next;
    let count = 0;
    while ((next = iterator.next())) {
      if (++count > LIMIT) throw new Error(`${uid}: more than ${LIMIT} occurrences`);
      const details = event.getOccurrenceDetails(next);
      occurrences.push({
        uid,
        recurrenceId: utc(details.recurrenceId),
        start: utc(details.startDate),
        end: utc(details.endDate),
        zone: zoneOf(details.startDate),
      });
    }
  }
  return occurrences;
}

const results = process.argv.slice(2).map((file) => expand(readFileSync(file, "utf8")));
process.stdout.write(JSON.stringify(results));
