import { describe, expect, it } from "vitest";
import { parseJobEntries } from "../../cli/read-job-entries.js";

describe("parseJobEntries", () => {
  it("reads NDJSON line by line, skipping blank lines and keeping line numbers", () => {
    expect(parseJobEntries('{"a":1}\n\n{"a":2}\r\n{oops\n', "jobs.ndjson")).toEqual([
      { location: "jobs.ndjson:1", value: { a: 1 } },
      { location: "jobs.ndjson:3", value: { a: 2 } },
      { location: "jobs.ndjson:4", problem: expect.stringMatching(/^not JSON: /) },
    ]);
  });

  it("reads a JSON array or a single object", () => {
    expect(parseJobEntries('[{"a":1},{"a":2}]', "jobs.json")).toEqual([
      { location: "jobs.json[0]", value: { a: 1 } },
      { location: "jobs.json[1]", value: { a: 2 } },
    ]);
    expect(parseJobEntries('{"a":1}', "job.json")).toEqual([
      { location: "job.json", value: { a: 1 } },
    ]);
  });

  it("recognises NDJSON by its content when the name does not say", () => {
    expect(parseJobEntries('{"a":1}\n{"a":2}\n', "stdin")).toHaveLength(2);
    expect(parseJobEntries("  \n", "stdin")).toEqual([]);
  });

  it("throws naming the file when a .json file is not JSON", () => {
    expect(() => parseJobEntries("[{", "jobs.json")).toThrow(/^jobs\.json: not valid JSON/);
  });
});
