import { readFileSync } from "node:fs";
import { Duration, RemovalPolicy } from "aws-cdk-lib";
import * as logs from "aws-cdk-lib/aws-logs";
import { describe, expect, it } from "vitest";
import { DISPATCH_FUNCTION_DEFAULTS } from "../../infra/dispatch-function-props.js";

const source = readFileSync(
  new URL("../../infra/dispatch-function-props.ts", import.meta.url),
  "utf8",
);

/** `@default` text of each prop of `DispatchFunctionProps`, as its TSDoc states it. */
const documented = new Map(
  [...source.matchAll(/@default ([^\n]+)\n\s*\*\/\n\s*readonly (\w+)\?/g)].map((m) => [
    m[2] ?? "",
    m[1] ?? "",
  ]),
);

function nameIn(values: Record<string, unknown>, prefix: string, value: unknown): string {
  const key = Object.keys(values).find((k) => values[k] === value);
  return `${prefix}.${key ?? String(value)}`;
}

/** A default as TSDoc writes it: `Duration.seconds(60)`, `RemovalPolicy.DESTROY`, `256`. */
function render(prop: string, value: unknown): string {
  if (value instanceof Duration) return value.toString();
  if (prop === "logRetention") return nameIn(logs.RetentionDays, "logs.RetentionDays", value);
  if (prop === "logRemovalPolicy") return nameIn(RemovalPolicy, "RemovalPolicy", value);
  return String(value);
}

describe("DISPATCH_FUNCTION_DEFAULTS", () => {
  it.each(Object.entries(DISPATCH_FUNCTION_DEFAULTS))(
    "applies the @default its TSDoc documents for %s",
    (prop, value) => {
      expect(documented.get(prop)).toBe(render(prop, value));
    },
  );

  it("has a value for every prop documented with a literal @default", () => {
    const literal = [...documented].filter(([, text]) => !text.startsWith("-"));

    expect(literal.map(([prop]) => prop).sort()).toEqual(
      Object.keys(DISPATCH_FUNCTION_DEFAULTS).sort(),
    );
  });
});
