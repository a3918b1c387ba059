import type { Condition } from "./dynamodb-condition-parser.js";
import type { Operand, Path } from "./dynamodb-expression-parser.js";
import {
  type AttributeValue,
  compareValues,
  type Item,
  sameValue,
  typeOf,
  ValidationError,
} from "./dynamodb-values.js";

/**
 * Evaluation of parsed expressions against one item, with DynamoDB's semantics: a comparison with a
 * missing attribute or mismatched types is false (`<>` is true). Update actions build on the path and
 * operand readers here (see `applyUpdate`).
 */

/** The value at `path` in `item`, or undefined when any step is missing. */
export function valueAt(item: Item | undefined, path: Path): AttributeValue | undefined {
  let current: AttributeValue | undefined = item === undefined ? undefined : { M: item };
  for (const segment of path.segments) {
    if (current === undefined) return undefined;
    current = typeof segment === "number" ? current.L?.[segment] : current.M?.[segment];
  }
  return current;
}

/** The value an operand stands for in `item` (`size(path)` as a number), or undefined when missing. */
export function operandValue(item: Item | undefined, operand: Operand): AttributeValue | undefined {
  if (operand.kind === "value") return operand.value;
  if (operand.kind === "path") return valueAt(item, operand);
  const value = valueAt(item, operand.path);
  if (value === undefined) return undefined;
  const size =
    value.S !== undefined
      ? Buffer.byteLength(value.S)
      : value.B !== undefined
        ? Buffer.from(value.B, "base64").length
        : (value.L ?? value.SS ?? value.NS ?? value.BS ?? Object.keys(value.M ?? {})).length;
  return { N: String(size) };
}

function compare(
  op: string,
  a: AttributeValue | undefined,
  b: AttributeValue | undefined,
): boolean {
  if (op === "=") return sameValue(a, b);
  if (op === "<>") return !sameValue(a, b);
  const order = compareValues(a, b);
  if (order === undefined) return false;
  return op === "<" ? order < 0 : op === "<=" ? order <= 0 : op === ">" ? order > 0 : order >= 0;
}

function callFunction(item: Item | undefined, name: string, args: readonly Operand[]): boolean {
  const [first, second] = args;
  const arity = name === "attribute_exists" || name === "attribute_not_exists" ? 1 : 2;
  if (first?.kind !== "path" || args.length !== arity) {
    throw new ValidationError(
      `Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`,
    );
  }
  const value = valueAt(item, first);
  const argument = second === undefined ? undefined : operandValue(item, second);
  switch (name) {
    case "attribute_exists":
      return value !== undefined;
    case "attribute_not_exists":
      return value === undefined;
    case "begins_with":
      return value?.S !== undefined && argument?.S !== undefined && value.S.startsWith(argument.S);
    case "attribute_type":
      return value !== undefined && argument?.S === typeOf(value);
    default: {
      if (value === undefined || argument === undefined) return false;
      if (value.S !== undefined && argument.S !== undefined) return value.S.includes(argument.S);
      const members: AttributeValue[] =
        value.L ?? value.SS?.map((s) => ({ S: s })) ?? value.NS?.map((n) => ({ N: n })) ?? [];
      return members.some((m) => sameValue(m, argument));
    }
  }
}

/** True when `condition` holds for `item` (undefined: the item does not exist). */
export function evaluateCondition(condition: Condition, item: Item | undefined): boolean {
  switch (condition.kind) {
    case "and":
      return evaluateCondition(condition.left, item) && evaluateCondition(condition.right, item);
    case "or":
      return evaluateCondition(condition.left, item) || evaluateCondition(condition.right, item);
    case "not":
      return !evaluateCondition(condition.operand, item);
    case "compare":
      return compare(
        condition.op,
        operandValue(item, condition.left),
        operandValue(item, condition.right),
      );
    case "between": {
      const value = operandValue(item, condition.value);
      return (
        compare(">=", value, operandValue(item, condition.low)) &&
        compare("<=", value, operandValue(item, condition.high))
      );
    }
    case "in": {
      const value = operandValue(item, condition.value);
      return condition.list.some((candidate) => sameValue(value, operandValue(item, candidate)));
    }
    case "function":
      return callFunction(item, condition.name, condition.args);
  }
}
