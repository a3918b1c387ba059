import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";

/** Service name in every log line and metric. */
export const SERVICE_NAME = "workflow-dispatch";
/** CloudWatch namespace of the embedded metrics. */
export const METRICS_NAMESPACE = "WorkflowDispatch";

/** Metric names; alarms and the dashboard use the same. */
export const MetricName = {
  Dispatched: "Dispatched",
  /** Dimension `FailureClass`: permanent, rate_limited or transient. */
  DispatchFailed: "DispatchFailed",
  DispatchRetried: "DispatchRetried",
  /** Retries after a request may have reached GitHub: each may duplicate a run. */
  AmbiguousRetry: "AmbiguousRetry",
  DispatchLatency: "DispatchLatency",
  /** Seconds from the schedule's scheduled time to the dispatch. */
  ScheduleLag: "ScheduleLag",
  DeadLettered: "DeadLettered",
} as const;

/** Structured logs and embedded-format metrics of one container. */
export class Telemetry {
  constructor(
    readonly logger: Logger = new Logger({ serviceName: SERVICE_NAME }),
    readonly metrics: Metrics = new Metrics({
      namespace: METRICS_NAMESPACE,
      serviceName: SERVICE_NAME,
    }),
  ) {}

  /** Adds `value` to a count metric. */
  count(name: (typeof MetricName)[keyof typeof MetricName], value = 1): void {
    this.metrics.addMetric(name, MetricUnit.Count, value);
  }

  /** Counts one failure under its class, as its own EMF record so the dimension stays separate. */
  failed(failureClass: string): void {
    const single = this.metrics.singleMetric();
    single.addDimension("FailureClass", failureClass);
    single.addMetric(MetricName.DispatchFailed, MetricUnit.Count, 1);
  }

  /** Records the time GitHub took to accept a dispatch. */
  latency(ms: number): void {
    this.metrics.addMetric(MetricName.DispatchLatency, MetricUnit.Milliseconds, ms);
  }

  /** Records how late a scheduled job fired. */
  scheduleLag(seconds: number): void {
    this.metrics.addMetric(MetricName.ScheduleLag, MetricUnit.Seconds, seconds);
  }

  /** Writes the metrics of this invocation; called once per invocation. */
  flush(): void {
    if (this.metrics.hasStoredMetrics()) this.metrics.publishStoredMetrics();
  }
}
