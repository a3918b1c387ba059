import * as iam from "aws-cdk-lib/aws-iam";

/**
 * The principal for a producer from the config: a 12-digit account id, an IAM role or user ARN, or an SNS
 * topic or EventBridge rule ARN (the service principal, limited to that one topic or rule by
 * `aws:SourceArn`).
 */
export function producerPrincipal(producer: string): iam.IPrincipal {
  if (/^\d{12}$/.test(producer)) return new iam.AccountPrincipal(producer);
  const service = producer.startsWith("arn:") ? producer.split(":")[2] : undefined;
  if (service === "sns" || service === "events") {
    return new iam.ServicePrincipal(`${service}.amazonaws.com`).withConditions({
      ArnEquals: { "aws:SourceArn": producer },
    });
  }
  if (service === "iam") return new iam.ArnPrincipal(producer);
  throw new Error(
    `producers: "${producer}" is not an account id, IAM ARN, SNS topic ARN or EventBridge rule ARN`,
  );
}
