// The small subset of Inngest's CEL expressions that Trawl's functions produce:
//   cancelOn match   → `event.data.jobId == async.data.jobId`   (the SDK writes this form)
//   trigger / if     → `event.data.function_id == 'trawl-run-job'`
//   concurrency key  → `event.data.jobId`
// Grammar: comparison ( "&&" comparison )*, comparison = operand ("==" | "!=") operand,
// operand = a dotted path under an allowed root, or a string/number/boolean/null literal.
// Anything else is rejected when the function registers; it is never evaluated as "false".

export type ExpressionRoot = "event" | "async";
export type ExpressionScope = Partial<Record<ExpressionRoot, unknown>>;

export interface CompiledExpression {
  source: string;
  evaluate(scope: ExpressionScope): boolean;
}

export class ExpressionError extends Error {
  constructor(source: string, reason: string) {
    super(
      `Unsupported expression ${JSON.stringify(source)}: ${reason}. Trawl's offline engine supports only ` +
        `comparisons (==, !=) of event/async fields and literals joined by &&, e.g. "event.data.jobId == async.data.jobId".`,
    );
    this.name = "ExpressionError";
  }
}

type Token =
  | { kind: "path"; root: string; segments: string[]; text: string }
  | { kind: "literal"; value: string | number | boolean | null; text: string }
  | { kind: "op"; value: "==" | "!=" | "&&"; text: string };

type Operand = { kind: "path"; root: ExpressionRoot; segments: string[] } | { kind: "literal"; value: unknown };

const PATH = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*/;
const NUMBER = /^-?\d+(?:\.\d+)?/;

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let rest = source.trim();
  while (rest.length > 0) {
    let match: RegExpMatchArray | null;
    if (rest.startsWith("==") || rest.startsWith("!=") || rest.startsWith("&&")) {
      const value = rest.slice(0, 2) as "==" | "!=" | "&&";
      tokens.push({ kind: "op", value, text: value });
      rest = rest.slice(2);
    } else if (rest[0] === "'" || rest[0] === '"') {
      const { value, length } = readString(source, rest);
      tokens.push({ kind: "literal", value, text: rest.slice(0, length) });
      rest = rest.slice(length);
    } else if ((match = rest.match(NUMBER))) {
      tokens.push({ kind: "literal", value: Number(match[0]), text: match[0] });
      rest = rest.slice(match[0].length);
    } else if ((match = rest.match(PATH))) {
      const text = match[0];
      if (text === "true" || text === "false") tokens.push({ kind: "literal", value: text === "true", text });
      else if (text === "null") tokens.push({ kind: "literal", value: null, text });
      else {
        const [root, ...segments] = text.split(".");
        tokens.push({ kind: "path", root, segments, text });
      }
      rest = rest.slice(text.length);
    } else {
      throw new ExpressionError(source, `unexpected ${JSON.stringify(rest.slice(0, 12))}`);
    }
    rest = rest.trimStart();
  }
  return tokens;
}

function readString(source: string, rest: string): { value: string; length: number } {
  const quote = rest[0];
  let value = "";
  for (let i = 1; i < rest.length; i++) {
    const char = rest[i];
    if (char === quote) return { value, length: i + 1 };
    if (char === "\\") {
      const next = rest[i + 1];
      if (next === undefined) break;
      value += next === "n" ? "\n" : next === "t" ? "\t" : next;
      i++;
    } else value += char;
  }
  throw new ExpressionError(source, "unterminated string literal");
}

function toOperand(source: string, token: Token | undefined, roots: readonly ExpressionRoot[]): Operand {
  if (!token) throw new ExpressionError(source, "it ends where a value was expected");
  if (token.kind === "literal") return { kind: "literal", value: token.value };
  if (token.kind === "op") throw new ExpressionError(source, `expected a value, found "${token.text}"`);
  if (!roots.includes(token.root as ExpressionRoot)) {
    throw new ExpressionError(source, `"${token.text}" must start with ${roots.map((r) => `"${r}."`).join(" or ")}`);
  }
  if (token.segments.length === 0) throw new ExpressionError(source, `"${token.text}" names no field`);
  return { kind: "path", root: token.root as ExpressionRoot, segments: token.segments };
}

function resolve(operand: Operand, scope: ExpressionScope): unknown {
  if (operand.kind === "literal") return operand.value;
  let value: unknown = scope[operand.root];
  for (const segment of operand.segments) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === "object" && a !== null && typeof b === "object" && b !== null) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return a === b;
}

/**
 * Compiles a boolean expression. `roots` lists the variables in scope: cancelOn rules see the
 * run's own event as `event` and the incoming event as `async`; triggers see only `event`.
 * A comparison that reads a missing field is false for both == and != (CEL errors there and
 * Inngest treats the rule as not matching).
 */
export function compileExpression(source: string, roots: readonly ExpressionRoot[]): CompiledExpression {
  const tokens = tokenize(source);
  if (tokens.length === 0) throw new ExpressionError(source, "it is empty");
  const comparisons: Array<{ left: Operand; op: "==" | "!="; right: Operand }> = [];
  let i = 0;
  for (;;) {
    const left = toOperand(source, tokens[i], roots);
    const op = tokens[i + 1];
    if (!op || op.kind !== "op" || op.value === "&&") {
      throw new ExpressionError(source, `expected == or != after "${tokens[i].text}"`);
    }
    const right = toOperand(source, tokens[i + 2], roots);
    comparisons.push({ left, op: op.value, right });
    i += 3;
    if (i === tokens.length) break;
    const joiner = tokens[i];
    if (joiner.kind !== "op" || joiner.value !== "&&") {
      throw new ExpressionError(source, `expected && or the end, found "${joiner.text}"`);
    }
    i += 1;
  }
  return {
    source,
    evaluate(scope) {
      return comparisons.every(({ left, op, right }) => {
        const a = resolve(left, scope);
        const b = resolve(right, scope);
        if (a === undefined || b === undefined) return false;
        return op === "==" ? sameValue(a, b) : !sameValue(a, b);
      });
    },
  };
}

/** Compiles a concurrency key such as `event.data.jobId` into a function of the run's event. */
export function compileKeyExpression(source: string): (event: unknown) => unknown {
  const tokens = tokenize(source);
  if (tokens.length !== 1 || tokens[0].kind !== "path") {
    throw new ExpressionError(source, "a concurrency key must be a single field such as event.data.jobId");
  }
  const operand = toOperand(source, tokens[0], ["event"]);
  return (event) => resolve(operand, { event });
}
