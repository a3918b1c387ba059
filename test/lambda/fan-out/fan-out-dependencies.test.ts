import { describe, expect, it } from "vitest";
import { createDispatcher } from "../../../lambda/create-dispatcher.js";
import { fanOutDependencies } from "../../../lambda/fan-out/fan-out-dependencies.js";

describe("fanOutDependencies", () => {
  it("builds the fan-out seam and the single-job guard from the dispatcher's config", () => {
    const deps = fanOutDependencies();

    const dispatcher = createDispatcher(
      {
        AWS_REGION: "eu-central-1",
        GITHUB_TOKEN_SECRET: "github/acme-bot",
        STATE_TABLE_NAME: "state",
      },
      deps,
    );

    expect(typeof dispatcher.fanOut).toBe("function");
    expect(typeof dispatcher.guard).toBe("function");
  });
});
