/**
 * DynamoDB's wire values (`{"S": "x"}`, `{"N": "1"}`, ...) and the operations the stand-in needs on
 * them: equality, ordering, arithmetic, size, and a plain-JavaScript view for test assertions.
 */

/** One DynamoDB attribute value as the JSON protocol carries it. */
export interface AttributeValue {
  S?: string;
  N?: string;
  B?: string;
  BOOL?: boolean;
  NULL?: boolean;
  L?: AttributeValue[];
  M?: Record<string, AttributeValue>;
  SS?: string[];
  NS?: string[];
  BS?: string[];
}

/** An item: attribute name -> value. */
export type Item = Record<string, AttributeValue>;

/** The single type tag of a value (`S`, `N`, `M` ...). */
export function typeOf(value: AttributeValue): keyof AttributeValue {
  const [tag] = Object.keys(value) as (keyof AttributeValue)[];
  if (tag === undefined)
    throw new Error(
      "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
    );
  return tag;
}

/** A deep copy, so stored items never share structure with requests or answers. */
export function cloneItem<T>(value: T): T {
  return structuredClone(value);
}

function canonical(value: AttributeValue): unknown {
  const tag = typeOf(value);
  switch (tag) {
    case "N":
      return { N: Number(value.N) };
    case "L":
      return { L: (value.L ?? []).map(canonical) };
    case "M":
      return {
        M: Object.fromEntries(
          Object.keys(value.M ?? {})
            .sort()
            .map((k) => [k, canonical(value.M?.[k] as AttributeValue)]),
        ),
      };
    case "SS":
    case "BS":
      return { [tag]: [...(value[tag] ?? [])].sort() };
    case "NS":
      return { NS: (value.NS ?? []).map(Number).sort((a, b) => a - b) };
    default:
      return value;
  }
}

/** DynamoDB equality: same type and same value (numbers compared numerically, sets unordered). */
export function sameValue(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/**
 * Ordering of two scalars of the same type (N numerically, S and B by bytes);
 * undefined when they cannot be ordered (missing, different types, not a scalar): the comparison is false.
 */
export function compareValues(
  a: AttributeValue | undefined,
  b: AttributeValue | undefined,
): number | undefined {
  if (a === undefined || b === undefined) return undefined;
  if (a.N !== undefined && b.N !== undefined) return Number(a.N) - Number(b.N);
  if (a.S !== undefined && b.S !== undefined)
    return Buffer.compare(Buffer.from(a.S), Buffer.from(b.S));
  if (a.B !== undefined && b.B !== undefined) {
    return Buffer.compare(Buffer.from(a.B, "base64"), Buffer.from(b.B, "base64"));
  }
  return undefined;
}

/** `a + b` or `a - b` on two numbers; throws DynamoDB's message otherwise. */
export function arithmetic(
  a: AttributeValue,
  b: AttributeValue,
  operator: "+" | "-",
): AttributeValue {
  if (a.N === undefined || b.N === undefined) {
    throw new ValidationError("An operand in the update expression has an incorrect data type");
  }
  const result = operator === "+" ? Number(a.N) + Number(b.N) : Number(a.N) - Number(b.N);
  return { N: String(result) };
}

/** Approximate stored size in bytes, as DynamoDB counts it for the 400 KB item limit. */
export function itemSize(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item))
    size += Buffer.byteLength(name) + valueSize(value);
  return size;
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.length / 2) + 1;
  if (value.B !== undefined) return Buffer.from(value.B, "base64").length;
  if (value.L !== undefined) return 3 + value.L.reduce((n, v) => n + 1 + valueSize(v), 0);
  if (value.M !== undefined) return 3 + itemSize(value.M);
  if (value.SS !== undefined) return value.SS.reduce((n, v) => n + Buffer.byteLength(v), 0);
  if (value.NS !== undefined) return value.NS.reduce((n, v) => n + Math.ceil(v.length / 2) + 1, 0);
  if (value.BS !== undefined)
    return value.BS.reduce((n, v) => n + Buffer.from(v, "base64").length, 0);
  return 1;
}

/** The value as plain JavaScript (numbers as `number`, sets as arrays), for test assertions. */
function toPlain(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.B !== undefined) return value.B;
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.L !== undefined) return value.L.map(toPlain);
  if (value.M !== undefined) return plainItem(value.M);
  if (value.NS !== undefined) return value.NS.map(Number);
  return value.SS ?? value.BS;
}

/** An item as plain JavaScript. */
export function plainItem(item: Item): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, toPlain(v)]));
}

/** A request DynamoDB rejects as malformed (`ValidationException`, 400). */
export class ValidationError extends Error {
  override readonly name = "ValidationException";
}
