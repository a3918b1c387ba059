import { DynamoDbExpressionParser, type Operand, type Path } from "./dynamodb-expression-parser.js";
import type { Placeholders } from "./dynamodb-placeholders.js";
import { ValidationError } from "./dynamodb-values.js";

/** The right-hand side of a SET action. */
export type SetValue =
  | Operand
  | {
      readonly kind: "arith";
      readonly op: "+" | "-";
      readonly left: SetValue;
      readonly right: SetValue;
    }
  | { readonly kind: "if_not_exists"; readonly path: Path; readonly fallback: SetValue }
  | { readonly kind: "list_append"; readonly first: SetValue; readonly second: SetValue };
/** One action of an update expression. */
export type UpdateAction =
  | { readonly kind: "set"; readonly path: Path; readonly value: SetValue }
  | { readonly kind: "remove"; readonly path: Path }
  | { readonly kind: "add" | "delete"; readonly path: Path; readonly value: Operand };

/** Update expressions: SET with + / - / if_not_exists / list_append, REMOVE, ADD, DELETE. */
class UpdateParser extends DynamoDbExpressionParser {
  update(): UpdateAction[] {
    const actions: UpdateAction[] = [];
    const seen = new Set<string>();
    while (this.peek() !== undefined) {
      const clause = this.next().toUpperCase();
      if (seen.has(clause)) {
        throw new ValidationError(
          `Invalid UpdateExpression: The "${clause}" section can only be used once in an update expression;`,
        );
      }
      seen.add(clause);
      do {
        if (actions.length > 0 && this.peek() === ",") this.next();
        actions.push(this.action(clause));
      } while (this.peek() === ",");
    }
    if (actions.length === 0) throw this.syntax("<EOF>");
    return actions;
  }

  private action(clause: string): UpdateAction {
    const path = this.path();
    switch (clause) {
      case "SET":
        this.expect("=");
        return { kind: "set", path, value: this.setValue() };
      case "REMOVE":
        return { kind: "remove", path };
      case "ADD":
      case "DELETE":
        return { kind: clause === "ADD" ? "add" : "delete", path, value: this.operand() };
      default:
        throw this.syntax(clause);
    }
  }

  private setValue(): SetValue {
    const left = this.setTerm();
    if (this.peek() === "+" || this.peek() === "-") {
      const op = this.next() as "+" | "-";
      return { kind: "arith", op, left, right: this.setTerm() };
    }
    return left;
  }

  private setTerm(): SetValue {
    const word = this.peek()?.toLowerCase();
    if (word === "if_not_exists" && this.peek(1) === "(") {
      this.next();
      this.expect("(");
      const path = this.path();
      this.expect(",");
      const fallback = this.setValue();
      this.expect(")");
      return { kind: "if_not_exists", path, fallback };
    }
    if (word === "list_append" && this.peek(1) === "(") {
      this.next();
      this.expect("(");
      const first = this.setValue();
      this.expect(",");
      const second = this.setValue();
      this.expect(")");
      return { kind: "list_append", first, second };
    }
    return this.operand();
  }
}

/** Parses an UpdateExpression, resolving placeholders. */
export function parseUpdate(expression: string, placeholders: Placeholders): UpdateAction[] {
  return new UpdateParser(expression, placeholders).update();
}
