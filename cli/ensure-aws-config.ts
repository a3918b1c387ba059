import { type AwsCallContext, describeAwsFailure } from "./describe-aws-failure.js";

/** The part of an AWS SDK v3 client's resolved config that says where and as whom it calls. */
interface ClientWithConfig {
  readonly config: {
    region(): Promise<string>;
    credentials(): Promise<unknown>;
  };
}

/**
 * Resolves a client's region and credentials before any call, so a missing region or missing
 * credentials are reported up front as one clear line (exit code 3) instead of mid-operation.
 */
export async function ensureAwsConfig(
  client: ClientWithConfig,
  context: AwsCallContext,
): Promise<void> {
  let region: string;
  try {
    region = await client.config.region();
    await client.config.credentials();
  } catch (error) {
    throw describeAwsFailure(error, context);
  }
  if (!region) throw describeAwsFailure(new Error("Region is missing"), context);
}
