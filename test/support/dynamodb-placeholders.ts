import { type AttributeValue, ValidationError } from "./dynamodb-values.js";

/**
 * Placeholders of one request (`ExpressionAttributeNames`, `ExpressionAttributeValues`), and which of
 * them the expressions used, so unused names and values can be rejected as DynamoDB does.
 */
export class Placeholders {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();
  constructor(
    readonly names: Readonly<Record<string, string>> = {},
    readonly values: Readonly<Record<string, AttributeValue>> = {},
  ) {}

  /** The attribute name a `#name` placeholder stands for; throws when the request does not define it. */
  name(token: string): string {
    const name = this.names[token];
    if (name === undefined) {
      throw new ValidationError(
        `Invalid expression: An expression attribute name used in the document path is not defined; attribute name: ${token}`,
      );
    }
    this.usedNames.add(token);
    return name;
  }

  /** The value a `:value` placeholder stands for; throws when the request does not define it. */
  value(token: string): AttributeValue {
    const value = this.values[token];
    if (value === undefined) {
      throw new ValidationError(
        `Invalid expression: An expression attribute value used in expression is not defined; attribute value: ${token}`,
      );
    }
    this.usedValues.add(token);
    return value;
  }

  /** Throws DynamoDB's error for placeholders given but not used by any expression. */
  assertAllUsed(): void {
    const names = Object.keys(this.names).filter((n) => !this.usedNames.has(n));
    if (names.length > 0) {
      throw new ValidationError(
        `Value provided in ExpressionAttributeNames unused in expressions: keys: {${names.join(", ")}}`,
      );
    }
    const values = Object.keys(this.values).filter((v) => !this.usedValues.has(v));
    if (values.length > 0) {
      throw new ValidationError(
        `Value provided in ExpressionAttributeValues unused in expressions: keys: {${values.join(", ")}}`,
      );
    }
  }
}
