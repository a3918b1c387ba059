import type { Operand, Path } from "./dynamodb-expression-parser.js";
import { operandValue, valueAt } from "./dynamodb-expressions.js";
import type { SetValue, UpdateAction } from "./dynamodb-update-parser.js";
import {
  type AttributeValue,
  arithmetic,
  cloneItem,
  type Item,
  typeOf,
  ValidationError,
} from "./dynamodb-values.js";

/**
 * Application of parsed update actions to one item, with DynamoDB's semantics: ADD on a missing
 * number starts from zero, DELETE of the last set member removes the attribute, the key attributes
 * cannot be changed.
 */

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
