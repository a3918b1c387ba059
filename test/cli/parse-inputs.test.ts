import { describe, expect, it } from "vitest";
import { CliError } from "../../cli/cli-error.js";
import { ExitCode } from "../../cli/exit-code.js";
import { parseInputs } from "../../cli/parse-inputs.js";

describe("parseInputs", () => {
  it("splits at the first = and keeps values as strings", () => {
    expect(parseInputs(["environment=staging", "query=a=b", "empty="])).toEqual({
      environment: "staging",
      query: "a=b",
      empty: "",
    });
  });

  it.each([
    ["environment", '--input "environment": expected key=value, e.g. --input environment=staging'],
    ["=x", '--input "=x": the input name before = is empty, e.g. --input environment=staging'],
  ])("throws a usage error for %j", (pair, message) => {
    expect(() => parseInputs([pair])).toThrow(new CliError(message, ExitCode.Usage));
  });

  it("throws a usage error for an input given twice", () => {
    expect(() => parseInputs(["a=1", "a=2"])).toThrow('input "a" is given twice');
  });
});
