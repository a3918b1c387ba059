import type {
  Condition,
  Operand,
  Path,
  SetValue,
  UpdateAction,
} from "./dynamodb-expression-parser.js";
import {
  type AttributeValue,
  arithmetic,
  cloneItem,
  compareValues,
  type Item,
  sameValue,
  typeOf,
  ValidationError,
} from "./dynamodb-values.js";

/**
 * Evaluation of parsed condition and update expressions against one item, with DynamoDB's semantics:
 * a comparison with a missing attribute or mismatched types is false (`<>` is true), ADD on a missing
 * number starts from zero, the key attributes cannot be changed.
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

function operandValue(item: Item | undefined, operand: Operand): AttributeValue | undefined {
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

function setValue(item: Item, value: SetValue): AttributeValue {
  switch (value.kind) {
    case "arith": {
      const left = setValue(item, value.left);
      const right = setValue(item, value.right);
      return arithmetic(left, right, value.op);
    }
    case "if_not_exists":
      return valueAt(item, value.path) ?? setValue(item, value.fallback);
    case "list_append": {
      const first = setValue(item, value.first);
      const second = setValue(item, value.second);
      if (first.L === undefined || second.L === undefined) {
        throw new ValidationError("An operand in the update expression has an incorrect data type");
      }
      return { L: [...first.L, ...second.L] };
    }
    default: {
      const resolved = operandValue(item, value);
      if (resolved === undefined) {
        throw new ValidationError(
          "The provided expression refers to an attribute that does not exist in the item",
        );
      }
      return resolved;
    }
  }
}

function writeAt(item: Item, path: Path, value: AttributeValue | undefined): void {
  const parentPath = path.segments.slice(0, -1);
  const last = path.segments[path.segments.length - 1];
  const parent =
    parentPath.length === 0 ? { M: item } : valueAt(item, { kind: "path", segments: parentPath });
  const invalid = () =>
    new ValidationError(
      "The document path provided in the update expression is invalid for update",
    );
  if (parent === undefined || last === undefined) throw invalid();
  if (typeof last === "number") {
    if (parent.L === undefined) throw invalid();
    if (value === undefined) parent.L.splice(last, 1);
    else if (last >= parent.L.length) parent.L.push(value);
    else parent.L[last] = value;
    return;
  }
  if (parent.M === undefined) throw invalid();
  if (value === undefined) delete parent.M[last];
  else parent.M[last] = value;
}

function addTo(
  current: AttributeValue | undefined,
  value: AttributeValue,
  remove: boolean,
): AttributeValue | undefined {
  if (value.N !== undefined && !remove) {
    return { N: String(Number(current?.N ?? "0") + Number(value.N)) };
  }
  const tag = typeOf(value);
  if (tag !== "SS" && tag !== "NS" && tag !== "BS") {
    throw new ValidationError(
      `Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ${remove ? "DELETE" : "ADD"}, operand type: ${tag}`,
    );
  }
  const existing = current?.[tag] ?? [];
  const members = value[tag] ?? [];
  const result = remove
    ? existing.filter((m) => !members.includes(m))
    : [...existing, ...members.filter((m) => !existing.includes(m))];
  return result.length === 0 ? undefined : { [tag]: result };
}

/**
 * Applies update actions to a copy of `item` (an empty item with only its key when it did not exist).
 * Returns the new item and the top-level names the actions touched (for `UPDATED_NEW`/`UPDATED_OLD`).
 */
export function applyUpdate(
  actions: readonly UpdateAction[],
  item: Item,
  keyNames: readonly string[],
): { item: Item; updated: Set<string> } {
  const next = cloneItem(item);
  const updated = new Set<string>();
  for (const action of actions) {
    const [top] = action.path.segments;
    if (typeof top === "string" && keyNames.includes(top)) {
      throw new ValidationError(
        `One or more parameter values were invalid: Cannot update attribute ${top}. This attribute is part of the key`,
      );
    }
    if (typeof top === "string") updated.add(top);
    switch (action.kind) {
      case "set":
        writeAt(next, action.path, setValue(item, action.value));
        break;
      case "remove":
        if (valueAt(next, action.path) !== undefined) writeAt(next, action.path, undefined);
        break;
      default: {
        const operand = operandValueOrThrow(item, action.value);
        writeAt(
          next,
          action.path,
          addTo(valueAt(next, action.path), operand, action.kind === "delete"),
        );
      }
    }
  }
  return { item: next, updated };
}

function operandValueOrThrow(item: Item, operand: Operand): AttributeValue {
  const value = operandValue(item, operand);
  if (value === undefined) {
    throw new ValidationError(
      "The provided expression refers to an attribute that does not exist in the item",
    );
  }
  return value;
}
