import { DynamoDbExpressionParser, type Operand } from "./dynamodb-expression-parser.js";
import type { Placeholders } from "./dynamodb-placeholders.js";
import { ValidationError } from "./dynamodb-values.js";

/** A parsed condition expression. */
export type Condition =
  | { readonly kind: "and" | "or"; readonly left: Condition; readonly right: Condition }
  | { readonly kind: "not"; readonly operand: Condition }
  | {
      readonly kind: "compare";
      readonly op: string;
      readonly left: Operand;
      readonly right: Operand;
    }
  | {
      readonly kind: "between";
      readonly value: Operand;
      readonly low: Operand;
      readonly high: Operand;
    }
  | { readonly kind: "in"; readonly value: Operand; readonly list: readonly Operand[] }
  | { readonly kind: "function"; readonly name: string; readonly args: readonly Operand[] };

/**
 * Condition expressions: comparisons, BETWEEN, IN, AND/OR/NOT, attribute_exists,
 * attribute_not_exists, begins_with, contains, attribute_type and size.
 */
class ConditionParser extends DynamoDbExpressionParser {
  condition(): Condition {
    let left = this.conjunction();
    while (this.isKeyword("OR")) {
      this.next();
      left = { kind: "or", left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Condition {
    let left = this.negation();
    while (this.isKeyword("AND")) {
      this.next();
      left = { kind: "and", left, right: this.negation() };
    }
    return left;
  }

  private negation(): Condition {
    if (this.isKeyword("NOT")) {
      this.next();
      return { kind: "not", operand: this.negation() };
    }
    return this.primary();
  }

  private primary(): Condition {
    if (this.peek() === "(") {
      this.next();
      const inner = this.condition();
      this.expect(")");
      return inner;
    }
    const word = this.peek()?.toLowerCase();
    if (this.peek(1) === "(" && word !== undefined && word !== "size") {
      const known = [
        "attribute_exists",
        "attribute_not_exists",
        "begins_with",
        "contains",
        "attribute_type",
      ];
      if (!known.includes(word))
        throw new ValidationError(`Invalid function name; function: ${this.peek()}`);
      this.next();
      return { kind: "function", name: word, args: this.arguments(() => this.operand()) };
    }
    const value = this.operand();
    if (this.isKeyword("BETWEEN")) {
      this.next();
      const low = this.operand();
      this.expect("AND");
      return { kind: "between", value, low, high: this.operand() };
    }
    if (this.isKeyword("IN")) {
      this.next();
      return { kind: "in", value, list: this.arguments(() => this.operand()) };
    }
    const op = this.next();
    if (!["=", "<>", "<", "<=", ">", ">="].includes(op)) throw this.syntax(op);
    return { kind: "compare", op, left: value, right: this.operand() };
  }
}

/** Parses a ConditionExpression, resolving placeholders. */
export function parseCondition(expression: string, placeholders: Placeholders): Condition {
  const parser = new ConditionParser(expression, placeholders);
  const condition = parser.condition();
  parser.end();
  return condition;
}
