import { afterEach, describe, expect, it } from "vitest";
import { useStandInEnvironment } from "./aws-environment.js";

describe("useStandInEnvironment", () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const name of Object.keys(process.env)) {
      if (!(name in saved)) delete process.env[name];
    }
    Object.assign(process.env, saved);
  });

  it("points the standard variables at the stand-ins and sets region and dummy credentials", () => {
    const restore = useStandInEnvironment({
      github: { url: "http://127.0.0.1:1" },
      secrets: { url: "http://127.0.0.1:2" },
      sqs: {
        url: "http://127.0.0.1:3",
        queueUrl: (name) => `http://127.0.0.1:3/111122223333/${name}`,
      },
      dynamodb: { url: "http://127.0.0.1:4" },
    });
    try {
      expect(process.env).toMatchObject({
        AWS_REGION: "eu-central-1",
        GITHUB_API_URL: "http://127.0.0.1:1",
        AWS_ENDPOINT_URL_SECRETS_MANAGER: "http://127.0.0.1:2",
        AWS_ENDPOINT_URL_SQS: "http://127.0.0.1:3",
        AWS_ENDPOINT_URL_DYNAMODB: "http://127.0.0.1:4",
        DISPATCH_QUEUE_URL: "http://127.0.0.1:3/111122223333/workflow-dispatch",
        DEAD_LETTER_QUEUE_URL: "http://127.0.0.1:3/111122223333/workflow-dispatch-dlq",
      });
      expect(process.env.AWS_ACCESS_KEY_ID).toBeTruthy();
      expect(process.env.AWS_SECRET_ACCESS_KEY).toBeTruthy();
    } finally {
      restore();
    }
  });

  it("restores overwritten and unset variables exactly", () => {
    process.env.AWS_REGION = "us-east-1";
    process.env.AWS_PROFILE = "production";
    delete process.env.GITHUB_API_URL;

    const restore = useStandInEnvironment({
      github: { url: "http://127.0.0.1:1" },
      extra: { FOO: "bar" },
    });
    expect(process.env.AWS_PROFILE).toBeUndefined();
    expect(process.env.FOO).toBe("bar");
    restore();

    expect(process.env.AWS_REGION).toBe("us-east-1");
    expect(process.env.AWS_PROFILE).toBe("production");
    expect(process.env.GITHUB_API_URL).toBeUndefined();
    expect(process.env.FOO).toBeUndefined();
  });

  it("leaves variables of stand-ins it was not given alone", () => {
    process.env.AWS_ENDPOINT_URL_DYNAMODB = "http://elsewhere";
    const restore = useStandInEnvironment({});
    expect(process.env.AWS_ENDPOINT_URL_DYNAMODB).toBe("http://elsewhere");
    restore();
  });
});
