import { describe, expect, it } from "vitest";
import { backoffMs, delay, parseDurationMs, retryAfterMs, sleepDurationMs } from "./timing";

describe("durations", () => {
  it("parses the SDK's time strings", () => {
    expect(parseDurationMs("1s")).toBe(1_000);
    expect(parseDurationMs("2h30m10s")).toBe(2 * 3_600_000 + 30 * 60_000 + 10_000);
    expect(parseDurationMs("1w1d")).toBe(8 * 86_400_000);
    expect(parseDurationMs("250ms")).toBe(250);
  });

  it("rejects anything else with a clear message", () => {
    expect(() => parseDurationMs("soon")).toThrow(/Invalid duration "soon"/);
    expect(() => parseDurationMs("10")).toThrow(/Invalid duration "10"/);
  });

  it("turns a sleepUntil timestamp into the remaining time, never negative", () => {
    const now = Date.parse("2030-01-01T00:00:00.000Z");
    expect(sleepDurationMs("2030-01-01T00:00:05.000Z", now)).toBe(5_000);
    expect(sleepDurationMs("2029-12-31T23:59:00.000Z", now)).toBe(0);
    expect(sleepDurationMs("1m", now)).toBe(60_000);
  });
});

describe("retry delays", () => {
  it("backs off exponentially from 100 ms, capped at 5 s", () => {
    expect([0, 1, 2, 3, 5, 6, 20].map(backoffMs)).toEqual([100, 200, 400, 800, 3_200, 5_000, 5_000]);
  });

  it("reads Retry-After as seconds or as a date", () => {
    const now = Date.parse("2030-01-01T00:00:00.000Z");
    expect(retryAfterMs("3", now)).toBe(3_000);
    expect(retryAfterMs("2030-01-01T00:00:02.000Z", now)).toBe(2_000);
    expect(retryAfterMs(null, now)).toBeUndefined();
    expect(retryAfterMs("later", now)).toBeUndefined();
  });
});

describe("delay", () => {
  it("resolves false as soon as the signal aborts", async () => {
    const controller = new AbortController();
    const waiting = delay(3_600_000, controller.signal);
    controller.abort();
    expect(await waiting).toBe(false);
  });

  it("resolves true once the time has passed", async () => {
    expect(await delay(0, new AbortController().signal)).toBe(true);
  });
});
