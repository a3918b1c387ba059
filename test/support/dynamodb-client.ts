import { DynamoDBClient } from "@aws-sdk/client-dynamodb";

/** A real DynamoDB client pointed at a stand-in, with dummy credentials and no SDK retries. */
export function standInDynamoDbClient(endpoint: string, maxAttempts = 1): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: "eu-central-1",
    credentials: { accessKeyId: "AKIDSTANDIN", secretAccessKey: "standin-secret" },
    maxAttempts,
  });
}
