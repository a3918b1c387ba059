import { wallClockAt } from "./time-zone-offset.js";

/** Every segment of an IANA name starts with a capital: `Europe/Berlin`, `Etc/GMT+5`, `EST5EDT`. */
const IANA_NAME = /^[A-Z][A-Za-z0-9_+-]*(?:\/[A-Z][A-Za-z0-9_+-]*)*$/;
/** Locales whose short zone names read like abbreviations (`CET`, `BST`, `IST`, `AEST`) rather than `GMT+1`. */
const ABBREVIATION_LOCALES = ["en-US", "en-GB", "en-IN", "en-AU", "en-NZ", "en-CA"] as const;

const validity = new Map<string, boolean>();
const nameFormatters = new Map<string, Intl.DateTimeFormat>();
let knownZones: readonly string[] | undefined;

function resolvedZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * True for an IANA time zone name that this Node.js knows (canonical names and their aliases such as
 * `Asia/Kolkata`), written with its usual capitals, plus `"UTC"`. Offsets like `+01:00` are not zones.
 */
export function isTimeZone(name: string): boolean {
  const cached = validity.get(name);
  if (cached !== undefined) return cached;
  const resolved =
    typeof name === "string" && IANA_NAME.test(name) ? resolvedZone(name) : undefined;
  const valid =
    resolved !== undefined && (resolved === name || resolved.toLowerCase() !== name.toLowerCase());
  validity.set(name, valid);
  return valid;
}

function zones(): readonly string[] {
  knownZones ??= [...Intl.supportedValuesOf("timeZone"), "UTC"];
  return knownZones;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * The IANA name closest to a mistyped one (`"Europe/Berln"` -> `"Europe/Berlin"`, `"berlin"` ->
 * `"Europe/Berlin"`, `"New York"` -> `"America/New_York"`), or undefined when nothing is close.
 */
export function suggestTimeZone(name: string): string | undefined {
  const wanted = name.trim().replace(/\s+/g, "_").toLowerCase();
  if (wanted.length === 0) return undefined;
  const resolved = resolvedZone(name.trim());
  if (resolved !== undefined) {
    const exact = zones().find((zone) => zone.toLowerCase() === wanted);
    return exact ?? resolved;
  }
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const zone of zones()) {
    const lower = zone.toLowerCase();
    const city = lower.slice(lower.lastIndexOf("/") + 1);
    const distance = Math.min(
      editDistance(wanted, lower),
      wanted.includes("/") ? Number.POSITIVE_INFINITY : editDistance(wanted, city),
    );
    if (distance < bestDistance) {
      best = zone;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(wanted.length / 5)) ? best : undefined;
}

/**
 * Why `name` is not a time zone, as a sentence naming the value and the fix, or undefined when it is one:
 * `"Europe/Berln" is not an IANA time zone (did you mean "Europe/Berlin"?)`.
 */
export function timeZoneProblem(name: string): string | undefined {
  if (isTimeZone(name)) return undefined;
  const suggestion = suggestTimeZone(name);
  return `"${name}" is not an IANA time zone (${
    suggestion ? `did you mean "${suggestion}"?` : 'use a name such as "Europe/Berlin" or "UTC"'
  })`;
}

/** Throws a `RangeError` naming the bad value and the closest zone when `name` is not a time zone. */
export function assertTimeZone(name: string, field = "timezone"): void {
  const problem = timeZoneProblem(name);
  if (problem) throw new RangeError(`${field}: ${problem}`);
}

function nameFormatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = nameFormatters.get(timeZone);
  if (!formatter) {
    const samples = [Date.UTC(2027, 0, 15), Date.UTC(2027, 6, 15)];
    const candidates = ABBREVIATION_LOCALES.map(
      (locale) => new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: "short" }),
    );
    formatter =
      candidates.find((candidate) =>
        samples.every((sample) => !/^GMT[+-]/.test(zoneName(candidate, sample))),
      ) ??
      candidates.find((candidate) =>
        samples.some((sample) => !/^GMT[+-]/.test(zoneName(candidate, sample))),
      ) ??
      (candidates[0] as Intl.DateTimeFormat);
    nameFormatters.set(timeZone, formatter);
  }
  return formatter;
}

function zoneName(formatter: Intl.DateTimeFormat, instant: number): string {
  return formatter.formatToParts(instant).find((part) => part.type === "timeZoneName")?.value ?? "";
}

const pad = (n: number): string => String(n).padStart(2, "0");

/**
 * Formats an instant as the wall clock of `timezone` with the zone's abbreviation:
 * `"2026-11-25 09:00 CET"` (zones without a common abbreviation show `GMT+9` style).
 */
export function formatInTimeZone(instant: Date, timezone: string): string {
  assertTimeZone(timezone);
  const t = wallClockAt(instant.getTime(), timezone);
  const name = zoneName(nameFormatterFor(timezone), instant.getTime());
  return `${t.year}-${pad(t.month)}-${pad(t.day)} ${pad(t.hour)}:${pad(t.minute)} ${name}`;
}
