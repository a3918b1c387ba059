import { invalidBodyReason, type SqsErrorAnswer, sqsError } from "./sqs-errors.js";
import type { SqsMessageAttribute } from "./sqs-md5.js";
import { isRecord } from "./stand-in-server.js";

/** A SendMessage request (or batch entry) after validation. */
export interface SqsMessageInput {
  MessageBody: string;
  DelaySeconds?: number;
  MessageAttributes?: Record<string, SqsMessageAttribute>;
}

/** The message, or the error SQS answers for it. */
export type CheckedMessage = { message: SqsMessageInput } | { error: SqsErrorAnswer };

const MAX_ATTRIBUTES = 10;
const invalid = (message: string): CheckedMessage => ({
  error: sqsError("InvalidParameterValue", message),
});

function checkAttributes(
  raw: unknown,
): { attributes: Record<string, SqsMessageAttribute>; bytes: number } | CheckedMessage {
  if (raw === undefined) return { attributes: {}, bytes: 0 };
  if (!isRecord(raw)) return invalid("MessageAttributes must be a map of name to value.");
  const entries = Object.entries(raw);
  if (entries.length > MAX_ATTRIBUTES) {
    return invalid(
      `Number of message attributes [${entries.length}] exceeds the allowed maximum [${MAX_ATTRIBUTES}].`,
    );
  }
  const attributes: Record<string, SqsMessageAttribute> = {};
  let bytes = 0;
  for (const [name, value] of entries) {
    const dataType = isRecord(value) ? value.DataType : undefined;
    if (!isRecord(value) || typeof dataType !== "string" || dataType === "") {
      return invalid(
        `The message attribute '${name}' must contain non-empty message attribute type.`,
      );
    }
    const isBinary = dataType.split(".")[0] === "Binary";
    const content = isBinary ? value.BinaryValue : value.StringValue;
    if (typeof content !== "string" || content === "") {
      const kind = isBinary ? "Binary" : "String";
      return invalid(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${kind}'.`,
      );
    }
    attributes[name] = isBinary
      ? { DataType: dataType, BinaryValue: content }
      : { DataType: dataType, StringValue: content };
    const valueBytes = isBinary
      ? Buffer.from(content, "base64").length
      : Buffer.byteLength(content);
    bytes += Buffer.byteLength(name) + Buffer.byteLength(dataType) + valueBytes;
  }
  return { attributes, bytes };
}

/**
 * Applies SQS's rules to one message: a non-empty body of allowed characters, `DelaySeconds`
 * 0-900, at most 10 attributes each with a type and a value, body plus attributes within `maxBytes`.
 */
export function validateMessage(input: Record<string, unknown>, maxBytes: number): CheckedMessage {
  const body = input.MessageBody;
  if (typeof body !== "string" || body === "") {
    return {
      error: sqsError("MissingParameter", "The request must contain the parameter MessageBody."),
    };
  }
  const badCharacters = invalidBodyReason(body);
  if (badCharacters) return { error: sqsError("InvalidMessageContents", badCharacters) };

  const delay = input.DelaySeconds === undefined ? 0 : Number(input.DelaySeconds);
  if (!Number.isInteger(delay) || delay < 0 || delay > 900) {
    return invalid(
      `Value ${String(input.DelaySeconds)} for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.`,
    );
  }
  const checked = checkAttributes(input.MessageAttributes);
  if ("error" in checked || "message" in checked) return checked;

  const size = Buffer.byteLength(body) + checked.bytes;
  if (size > maxBytes) {
    return invalid(
      `One or more parameters are invalid. Reason: Message must be shorter than ${maxBytes} bytes.`,
    );
  }
  return {
    message: { MessageBody: body, DelaySeconds: delay, MessageAttributes: checked.attributes },
  };
}
