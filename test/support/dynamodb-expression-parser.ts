import { type AttributeValue, ValidationError } from "./dynamodb-values.js";

/**
 * Parser of DynamoDB condition and update expressions (the subset real callers use: comparisons,
 * BETWEEN, IN, AND/OR/NOT, attribute_exists, attribute_not_exists, begins_with, contains, size;
 * SET with + / - / if_not_exists / list_append, REMOVE, ADD, DELETE). Placeholders are resolved while
 * parsing and every used one is recorded, so unused names and values can be rejected as DynamoDB does.
 */

/** A document path with placeholders resolved: `["a", "b", 0]` for `#a.b[0]`. */
export interface Path {
  readonly kind: "path";
  readonly segments: readonly (string | number)[];
}
/** An operand of a condition. */
export type Operand =
  | Path
  | { readonly kind: "value"; readonly value: AttributeValue }
  | { readonly kind: "size"; readonly path: Path };
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

/** Placeholders of one request, and which of them the expressions used. */
export class Placeholders {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();
  constructor(
    readonly names: Readonly<Record<string, string>> = {},
    readonly values: Readonly<Record<string, AttributeValue>> = {},
  ) {}

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

/** A few of DynamoDB's reserved words, rejected as bare attribute names like the real service does. */
const RESERVED = new Set(
  "ADD ALL AND AS ATTRIBUTE BETWEEN BY COUNT DATA DATE DELETE DESC FROM GROUP HOUR IN INDEX KEY KEYS LIMIT MINUTE NAME NOT NULL OR ORDER PATH RANGE REMOVE SECOND SET SIZE STATUS TABLE TIME TIMESTAMP TTL TYPE USER VALUE VALUES".split(
    " ",
  ),
);

const TOKEN =
  /\s*(<>|<=|>=|[()[\],.=<>+-]|#[A-Za-z0-9_]+|:[A-Za-z0-9_]+|[A-Za-z_][A-Za-z0-9_]*|[0-9]+)/y;

function tokenize(expression: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  let index = 0;
  while (index < expression.length) {
    if (/^\s*$/.test(expression.slice(index))) break;
    TOKEN.lastIndex = index;
    const match = TOKEN.exec(expression);
    if (!match?.[1]) {
      throw new ValidationError(
        `Invalid expression: Syntax error; token: "${expression.slice(index).trim().slice(0, 10)}", near: "${expression.slice(index, index + 20)}"`,
      );
    }
    tokens.push(match[1]);
    index = TOKEN.lastIndex;
  }
  return tokens;
}

/** Recursive-descent parser over one expression. */
class Parser {
  private position = 0;
  private readonly tokens: string[];

  constructor(
    private readonly expression: string,
    private readonly placeholders: Placeholders,
  ) {
    this.tokens = tokenize(expression);
  }

  private peek(offset = 0): string | undefined {
    return this.tokens[this.position + offset];
  }

  private isKeyword(word: string, offset = 0): boolean {
    return this.peek(offset)?.toUpperCase() === word;
  }

  private next(): string {
    const token = this.tokens[this.position++];
    if (token === undefined) throw this.syntax("<EOF>");
    return token;
  }

  private expect(token: string): void {
    const got = this.next();
    if (got.toUpperCase() !== token) throw this.syntax(got);
  }

  private syntax(token: string): ValidationError {
    return new ValidationError(
      `Invalid expression: Syntax error; token: "${token}", near: "${this.expression}"`,
    );
  }

  end(): void {
    const extra = this.peek();
    if (extra !== undefined) throw this.syntax(extra);
  }

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

  private arguments<T>(item: () => T): T[] {
    this.expect("(");
    const items = [item()];
    while (this.peek() === ",") {
      this.next();
      items.push(item());
    }
    this.expect(")");
    return items;
  }

  operand(): Operand {
    const token = this.peek();
    if (token?.startsWith(":"))
      return { kind: "value", value: this.placeholders.value(this.next()) };
    if (token?.toLowerCase() === "size" && this.peek(1) === "(") {
      this.next();
      const [path] = this.arguments(() => this.path());
      if (path === undefined) throw this.syntax("size");
      return { kind: "size", path };
    }
    return this.path();
  }

  path(): Path {
    const segments: (string | number)[] = [this.pathName()];
    while (this.peek() === "." || this.peek() === "[") {
      if (this.next() === ".") {
        segments.push(this.pathName());
      } else {
        const index = this.next();
        if (!/^[0-9]+$/.test(index)) throw this.syntax(index);
        segments.push(Number(index));
        this.expect("]");
      }
    }
    return { kind: "path", segments };
  }

  private pathName(): string {
    const token = this.next();
    if (token.startsWith("#")) return this.placeholders.name(token);
    if (!/^[A-Za-z_]/.test(token)) throw this.syntax(token);
    if (RESERVED.has(token.toUpperCase())) {
      throw new ValidationError(
        `Invalid expression: Attribute name is a reserved keyword; reserved keyword: ${token}`,
      );
    }
    return token;
  }

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

/** Parses a ConditionExpression, resolving placeholders. */
export function parseCondition(expression: string, placeholders: Placeholders): Condition {
  const parser = new Parser(expression, placeholders);
  const condition = parser.condition();
  parser.end();
  return condition;
}

/** Parses an UpdateExpression, resolving placeholders. */
export function parseUpdate(expression: string, placeholders: Placeholders): UpdateAction[] {
  return new Parser(expression, placeholders).update();
}
