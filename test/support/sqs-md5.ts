import { createHash } from "node:crypto";

/** A message attribute as SQS's JSON protocol carries it (`BinaryValue` is base64). */
export interface SqsMessageAttribute {
  DataType: string;
  StringValue?: string;
  BinaryValue?: string;
}

/** MD5 hex digest of the UTF-8 body: `MD5OfMessageBody` / `MD5OfBody`. */
export function md5OfMessageBody(body: string): string {
  return createHash("md5").update(body, "utf8").digest("hex");
}

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * `MD5OfMessageAttributes` exactly as SQS computes it: attributes sorted by name; for each, the
 * 4-byte big-endian length and UTF-8 bytes of the name, then of the data type, then one transport
 * byte (1 for String/Number, 2 for Binary), then the length and bytes of the value (UTF-8 for
 * strings, decoded bytes for binary). Undefined when there are no attributes.
 */
export function md5OfMessageAttributes(
  attributes: Record<string, SqsMessageAttribute> | undefined,
): string | undefined {
  const names = Object.keys(attributes ?? {}).sort((a, b) =>
    Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8")),
  );
  if (!attributes || names.length === 0) return undefined;
  const hash = createHash("md5");
  for (const name of names) {
    const attribute = attributes[name];
    if (!attribute) continue;
    hash.update(lengthPrefixed(Buffer.from(name, "utf8")));
    hash.update(lengthPrefixed(Buffer.from(attribute.DataType, "utf8")));
    if (attribute.DataType.split(".")[0] === "Binary") {
      hash.update(Buffer.from([2]));
      hash.update(lengthPrefixed(Buffer.from(attribute.BinaryValue ?? "", "base64")));
    } else {
      hash.update(Buffer.from([1]));
      hash.update(lengthPrefixed(Buffer.from(attribute.StringValue ?? "", "utf8")));
    }
  }
  return hash.digest("hex");
}
