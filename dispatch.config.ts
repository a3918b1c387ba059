import { defineConfig } from "./infra/config/define-config.js";

/**
 * The schedules this stack deploys. Edit, then `npx cdk synth` checks everything and lists every
 * problem at once; `npx cdk deploy` installs it. Reference: README, section "Config".
 */
export const config = defineConfig({
  github: {
    // github.com; for GitHub Enterprise Server use "https://HOST/api/v3" and maxInputs: 10.
    apiUrl: "https://api.github.com",
    // Used by every job that names no token_secret.
    tokenSecret: "github/acme-dispatch-bot",
  },

  // The function may read these secrets and no others.
  secrets: [
    {
      name: "github/acme-dispatch-bot",
      description: "Fine-grained PAT of the acme-dispatch bot; Actions: read and write on acme/*",
    },
    {
      name: "github/acme-release-app",
      description: "GitHub App acme-release: {appId, privateKey, installationId}; Actions: write",
      // Uncomment when the secret is encrypted with your own KMS key:
      // kmsKeyArn: "arn:aws:kms:eu-central-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      pacing: { requestsPerMinute: 60, maxConcurrency: 10 },
    },
  ],

  // The function refuses every repository not matched here, whatever a job says.
  allowedRepositories: ["acme/api", "acme/web", "acme/docs", "acme/infra-*"],

  alarms: {
    email: "platform-oncall@acme.example",
  },

  // Other principals that may send jobs to the queue (CI role, an SNS topic, an EventBridge rule).
  producers: ["arn:aws:iam::111122223333:role/acme-ci-deployer"],

  // A job whose idempotency key was seen within this many hours is not dispatched again (default 24).
  idempotencyWindowHours: 24,

  schedules: [
    {
      name: "weekday-morning-smoke-tests",
      description: "Smoke tests against staging before the team starts, Berlin time",
      expression: "cron(0 9 ? * MON-FRI *)",
      timezone: "Europe/Berlin",
      job: {
        owner: "acme",
        repo: "api",
        workflow_id: "smoke-tests.yml",
        ref: "main",
        inputs: {
          environment: "staging",
          scheduled_time: "<aws.scheduler.scheduled-time>",
        },
      },
    },
    {
      name: "search-index-refresh",
      description: "Rebuilds the docs search index every ten minutes",
      expression: "rate(10 minutes)",
      job: { owner: "acme", repo: "docs", workflow_id: "refresh-search-index.yml", ref: "main" },
    },
    {
      name: "lift-year-end-code-freeze",
      description: "One-time: reopens deployments after the year-end freeze",
      expression: "at(2028-01-03T08:00:00)",
      timezone: "Europe/Berlin",
      job: {
        owner: "acme",
        repo: "infra-deploy",
        workflow_id: "code-freeze.yml",
        ref: "main",
        inputs: { action: "lift", reason: "holiday freeze ends" },
      },
    },
    {
      name: "nightly-dependency-audit",
      description: "Nightly audit; any time in a 45-minute window is fine, which spreads load",
      expression: "cron(30 1 * * ? *)",
      timezone: "UTC",
      flexibleWindowMinutes: 45,
      job: {
        owner: "acme",
        repo: "web",
        workflow_id: "dependency-audit.yml",
        ref: "main",
        inputs: { fail_on: "high" },
      },
    },
    {
      name: "weekly-release-train",
      description: "Cuts the weekly release with the GitHub App, New York morning",
      expression: "cron(30 7 ? * TUE *)",
      timezone: "America/New_York",
      job: {
        owner: "acme",
        repo: "infra-release",
        workflow_id: "release-train.yml",
        ref: "main",
        token_secret: "github/acme-release-app",
        inputs: { channel: "stable", execution_id: "<aws.scheduler.execution-id>" },
      },
    },
  ],
});
