import { describe, expect, it } from "vitest";
import { compileExpression, compileKeyExpression, ExpressionError } from "./expressions";

const run = { name: "trawl/job.requested", data: { jobId: "j1", count: 2, nested: { id: 7 } } };

describe("compileExpression", () => {
  it("evaluates the cancelOn match form the SDK generates", () => {
    const match = compileExpression("event.data.jobId == async.data.jobId", ["event", "async"]);
    expect(match.evaluate({ event: run, async: { data: { jobId: "j1" } } })).toBe(true);
    expect(match.evaluate({ event: run, async: { data: { jobId: "j2" } } })).toBe(false);
  });

  it("never matches when a compared field is missing on either side", () => {
    const match = compileExpression("event.data.jobId == async.data.jobId", ["event", "async"]);
    expect(match.evaluate({ event: { data: {} }, async: { data: {} } })).toBe(false);
    expect(match.evaluate({ event: run, async: { data: {} } })).toBe(false);
    expect(compileExpression("event.data.absent != 'x'", ["event"]).evaluate({ event: run })).toBe(false);
  });

  it("compares with string, number, boolean and null literals, nested paths, != and &&", () => {
    const scope = { event: { data: { function_id: "trawl-run-job", n: 3, ok: true, gone: null, deep: { a: "b" } } } };
    expect(compileExpression("event.data.function_id == 'trawl-run-job'", ["event"]).evaluate(scope)).toBe(true);
    expect(compileExpression('event.data.function_id == "trawl-other"', ["event"]).evaluate(scope)).toBe(false);
    expect(compileExpression("event.data.n == 3 && event.data.ok == true", ["event"]).evaluate(scope)).toBe(true);
    expect(compileExpression("event.data.n != 3", ["event"]).evaluate(scope)).toBe(false);
    expect(compileExpression("event.data.gone == null && event.data.deep.a == 'b'", ["event"]).evaluate(scope)).toBe(true);
    expect(compileExpression("event.data.function_id == 'it\\'s'", ["event"]).evaluate({ event: { data: { function_id: "it's" } } })).toBe(
      true,
    );
  });

  it("rejects what it cannot evaluate, with the expression in the message", () => {
    const cases: Array<[string, RegExp]> = [
      ["event.data.n > 3", /Unsupported expression "event\.data\.n > 3": unexpected ">/],
      ["event.data.a == 'x' || event.data.b == 'y'", /unexpected "\|\|/],
      ["size(event.data.items) == 2", /unexpected "\(/],
      ["event.data.a", /expected == or != after "event\.data\.a"/],
      ["event.data.a == ", /it ends where a value was expected/],
      ["event.data.a == 'open", /unterminated string literal/],
      ["", /it is empty/],
    ];
    for (const [source, message] of cases) {
      expect(() => compileExpression(source, ["event", "async"]), source).toThrow(message);
      expect(() => compileExpression(source, ["event", "async"]), source).toThrow(ExpressionError);
    }
  });

  it("rejects variables that are not in scope", () => {
    expect(() => compileExpression("async.data.id == 'x'", ["event"])).toThrow(/"async\.data\.id" must start with "event\."/);
    expect(() => compileExpression("data.jobId == 'x'", ["event", "async"])).toThrow(/must start with "event\." or "async\."/);
    expect(() => compileExpression("event == 'x'", ["event"])).toThrow(/"event" names no field/);
  });
});

describe("compileKeyExpression", () => {
  it("reads a field of the event", () => {
    expect(compileKeyExpression("event.data.jobId")(run)).toBe("j1");
    expect(compileKeyExpression("event.data.nested.id")(run)).toBe(7);
    expect(compileKeyExpression("event.data.missing")(run)).toBeUndefined();
  });

  it("rejects anything but a single event field", () => {
    expect(() => compileKeyExpression("event.data.a + event.data.b")).toThrow(ExpressionError);
    expect(() => compileKeyExpression("event.data.a == 'x'")).toThrow(/a concurrency key must be a single field/);
    expect(() => compileKeyExpression("async.data.a")).toThrow(/must start with "event\."/);
  });
});
