import { describe, expect, it } from "vitest";
import { formatDuration } from "./format";

describe("formatDuration", () => {
  it.each([
    [0, "0:00"],
    [999, "0:01"],
    [7_000, "0:07"],
    [205_400, "3:25"],
    [3_729_000, "1:02:09"],
  ])("%d ms is %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
