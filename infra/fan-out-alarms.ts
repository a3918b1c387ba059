import { Duration, Token } from "aws-cdk-lib";
import * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import type * as dynamodb from "aws-cdk-lib/aws-dynamodb";
import { Construct } from "constructs";
import { FanOutMetricName } from "../lambda/fan-out/fan-out-metric-name.js";
import { dispatchMetric } from "./dispatch-metric.js";
import { StateTableMetricName, stateTableMetric } from "./state-table-metric.js";

/** Properties of {@link FanOutAlarms}. */
export interface FanOutAlarmsProps {
  /** The state table (idempotency records and pacing ledgers). */
  readonly stateTable: dynamodb.ITable;
  /**
   * Single jobs one fan-out may expand into before it raises an alarm: larger than any fan-out you
   * expect, so a selection that suddenly matches far more repositories (a missing filter, a wrong
   * organization) is noticed. At GitHub's 500 dispatches an hour, 5000 targets take 10 hours.
   * @default 5000
   */
  readonly fanOutSizeThreshold?: number;
}

/**
 * Alarms on fan-out, pacing and duplicate suppression: an unexpectedly large fan-out, refused
 * targets, a pacing backlog beyond two hours, a storm of duplicates, a token GitHub blocked despite
 * pacing, and DynamoDB throttling or errors on the state table. `DispatchAlarms` adds them to its
 * notification topics.
 */
export class FanOutAlarms extends Construct {
  /** Maximum `FanOutSize` above the threshold in 5 minutes. */
  readonly fanOutSizeAlarm: cloudwatch.Alarm;
  /** Any target refused by a fan-out (parked in the dead-letter queue) in 5 minutes. */
  readonly fanOutRefusedAlarm: cloudwatch.Alarm;
  /** A job that waited more than 2 hours for its pacing turn (15 minutes). */
  readonly pacingDelayAlarm: cloudwatch.Alarm;
  /** More than 100 suppressed duplicates in an hour. */
  readonly duplicatesSuppressedAlarm: cloudwatch.Alarm;
  /** Any token GitHub blocked (403/429 rate limit) in 15 minutes. */
  readonly tokenBlockedAlarm: cloudwatch.Alarm;
  /** Any throttled request on the state table in 5 minutes. */
  readonly stateTableThrottlesAlarm: cloudwatch.Alarm;
  /** Any DynamoDB system error on the state table in 5 minutes. */
  readonly stateTableErrorsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: FanOutAlarmsProps) {
    super(scope, id);
    const sizeThreshold = props.fanOutSizeThreshold ?? 5000;
    if (
      !Token.isUnresolved(sizeThreshold) &&
      (!Number.isInteger(sizeThreshold) || sizeThreshold < 1)
    ) {
      throw new Error(
        `fanOutSizeThreshold must be a whole number of at least 1, got ${sizeThreshold}`,
      );
    }
    const fiveMinutes = Duration.minutes(5);
    const fifteenMinutes = Duration.minutes(15);
    const { SUM, MAXIMUM } = cloudwatch.Stats;
    const above = {
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    };
    const atLeastOne = {
      ...above,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    };

    this.fanOutSizeAlarm = new cloudwatch.Alarm(this, "FanOutSize", {
      ...above,
      threshold: sizeThreshold,
      alarmDescription: `A fan-out expanded into more than ${sizeThreshold} jobs; check its targets (the "fan-out expanded" log line lists them) before GitHub's hourly budget is spent on it`,
      metric: dispatchMetric(FanOutMetricName.FanOutSize, {
        statistic: MAXIMUM,
        period: fiveMinutes,
      }),
    });
    this.fanOutRefusedAlarm = new cloudwatch.Alarm(this, "FanOutRefused", {
      ...atLeastOne,
      alarmDescription:
        "A fan-out refused targets (allowlist, inputs or name) and parked them in the dead-letter queue with their reason; fix allowedRepositories or the targets",
      metric: dispatchMetric(FanOutMetricName.FanOutRefused, {
        statistic: SUM,
        period: fiveMinutes,
      }),
    });
    this.pacingDelayAlarm = new cloudwatch.Alarm(this, "PacingDelay", {
      ...above,
      threshold: Duration.hours(2).toSeconds(),
      alarmDescription:
        "A job waited more than 2 hours for its pacing turn: fan-outs on one token exceed its hourly budget; spread the schedules or use another token",
      metric: dispatchMetric(FanOutMetricName.PacingDelay, {
        statistic: MAXIMUM,
        period: fifteenMinutes,
      }),
    });
    this.duplicatesSuppressedAlarm = new cloudwatch.Alarm(this, "DuplicatesSuppressed", {
      ...above,
      threshold: 100,
      alarmDescription:
        "More than 100 duplicate jobs were suppressed in an hour: a producer resends jobs or messages are redelivered in a storm",
      metric: dispatchMetric(FanOutMetricName.DuplicatesSuppressed, {
        statistic: SUM,
        period: Duration.hours(1),
      }),
    });
    this.tokenBlockedAlarm = new cloudwatch.Alarm(this, "TokenBlocked", {
      ...atLeastOne,
      alarmDescription:
        "GitHub rate-limited a token (403/429) although dispatches are paced: its pacing limits are set too high or the token is also used elsewhere",
      metric: dispatchMetric(FanOutMetricName.TokenBlocked, {
        statistic: SUM,
        period: fifteenMinutes,
      }),
    });
    this.stateTableThrottlesAlarm = new cloudwatch.Alarm(this, "StateTableThrottles", {
      ...atLeastOne,
      alarmDescription:
        "DynamoDB throttled requests to the workflow-dispatch state table; jobs that could not reach it are retried later through the queue, so dispatches are late",
      metric: stateTableMetric(props.stateTable, StateTableMetricName.ThrottledRequests, {
        period: fiveMinutes,
        label: "throttled requests",
      }),
    });
    this.stateTableErrorsAlarm = new cloudwatch.Alarm(this, "StateTableErrors", {
      ...atLeastOne,
      alarmDescription:
        "DynamoDB returned system errors for the workflow-dispatch state table; affected jobs are retried through the queue",
      metric: stateTableMetric(props.stateTable, StateTableMetricName.SystemErrors, {
        period: fiveMinutes,
        label: "system errors",
      }),
    });
  }

  /** Every alarm of this construct. */
  get alarms(): readonly cloudwatch.Alarm[] {
    return [
      this.fanOutSizeAlarm,
      this.fanOutRefusedAlarm,
      this.pacingDelayAlarm,
      this.duplicatesSuppressedAlarm,
      this.tokenBlockedAlarm,
      this.stateTableThrottlesAlarm,
      this.stateTableErrorsAlarm,
    ];
  }
}
