import { InvalidArgumentError } from "commander";

/** Commander parser for an ISO 8601 instant with a zone (`2027-03-26T00:00:00Z`). */
export function parseInstant(value: string): Date {
  const date = new Date(value);
  if (!/(Z|[+-]\d{2}:?\d{2})$/i.test(value) || Number.isNaN(date.getTime())) {
    throw new InvalidArgumentError(
      "must be an ISO 8601 instant with a zone, e.g. 2027-03-26T00:00:00Z or 2027-03-26T09:00:00+01:00",
    );
  }
  return date;
}
