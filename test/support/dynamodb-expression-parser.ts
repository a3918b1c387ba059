import type { Placeholders } from "./dynamodb-placeholders.js";
import { type AttributeValue, ValidationError } from "./dynamodb-values.js";

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

/**
 * The recursive-descent core shared by the condition and the update parser (the subset of DynamoDB's
 * expression grammar real callers use): the token cursor, document paths and operands. Placeholders
 * are resolved while parsing and every used one is recorded in {@link Placeholders}.
 */
export abstract class DynamoDbExpressionParser {
  private position = 0;
  private readonly tokens: string[];

  constructor(
    private readonly expression: string,
    private readonly placeholders: Placeholders,
  ) {
    this.tokens = tokenize(expression);
  }

  protected peek(offset = 0): string | undefined {
    return this.tokens[this.position + offset];
  }

  protected isKeyword(word: string, offset = 0): boolean {
    return this.peek(offset)?.toUpperCase() === word;
  }

  protected next(): string {
    const token = this.tokens[this.position++];
    if (token === undefined) throw this.syntax("<EOF>");
    return token;
  }

  protected expect(token: string): void {
    const got = this.next();
    if (got.toUpperCase() !== token) throw this.syntax(got);
  }

  protected syntax(token: string): ValidationError {
    return new ValidationError(
      `Invalid expression: Syntax error; token: "${token}", near: "${this.expression}"`,
    );
  }

  /** Throws DynamoDB's syntax error when tokens are left after a complete expression. */
  end(): void {
    const extra = this.peek();
    if (extra !== undefined) throw this.syntax(extra);
  }

  protected arguments<T>(item: () => T): T[] {
    this.expect("(");
    const items = [item()];
    while (this.peek() === ",") {
      this.next();
      items.push(item());
    }
    this.expect(")");
    return items;
  }

  /** Parses a `:value`, a `size(path)` or a document path. */
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

  /** Parses a document path such as `#a.b[0]`. */
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
}
