import type { DynamoDbTableOptions } from "./dynamodb-stand-in-options.js";
import { type AttributeValue, type Item, typeOf, ValidationError } from "./dynamodb-values.js";
import { isRecord } from "./stand-in-server.js";

/** One table of the DynamoDB stand-in: items by key, key checks, and TTL expiry. */
export class DynamoDbTable {
  readonly options: Required<Pick<DynamoDbTableOptions, "name" | "partitionKey">> &
    DynamoDbTableOptions;
  /** Stored items by encoded key, in insertion order; read them through {@link live}. */
  readonly items = new Map<string, Item>();

  /** `clock` (epoch ms) makes expired items disappear; without it they linger, as in AWS. */
  constructor(
    options: DynamoDbTableOptions,
    private readonly clock: (() => number) | undefined,
  ) {
    this.options = { partitionKey: "id", ...options };
  }

  /** The key attribute names: the partition key, then the sort key when the table has one. */
  get keyNames(): string[] {
    return [this.options.partitionKey, this.options.sortKey].filter((n): n is string => !!n);
  }

  /**
   * The storage key of `item` (a `Key`, or a whole `Item` when `exact` is false); throws DynamoDB's
   * validation error when a key attribute is missing, not a scalar, or (`exact`) extra ones are given.
   */
  keyOf(item: unknown, exact: boolean): string {
    if (!isRecord(item))
      throw new ValidationError("One of the required keys was not given a value");
    const names = this.keyNames;
    if (exact && Object.keys(item).length !== names.length) {
      throw new ValidationError("The provided key element does not match the schema");
    }
    const parts = names.map((name) => {
      const value = item[name] as AttributeValue | undefined;
      if (value === undefined)
        throw new ValidationError("One of the required keys was not given a value");
      const tag = typeOf(value);
      if (tag !== "S" && tag !== "N" && tag !== "B") {
        throw new ValidationError("The provided key element does not match the schema");
      }
      return JSON.stringify(value);
    });
    return parts.join("|");
  }

  /** The item stored under `key`, unless its TTL has passed (then it is removed, as by the sweep). */
  live(key: string): Item | undefined {
    const item = this.items.get(key);
    const ttl = this.options.ttlAttribute;
    const expiresAt = ttl && item?.[ttl]?.N;
    if (item && this.clock && expiresAt && Number(expiresAt) * 1000 < this.clock()) {
      this.items.delete(key);
      return undefined;
    }
    return item;
  }

  /** Every live item, in insertion order. */
  liveItems(): Item[] {
    return [...this.items.keys()]
      .map((k) => this.live(k))
      .filter((i): i is Item => i !== undefined);
  }
}
