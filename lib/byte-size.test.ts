import { describe, expect, it } from "vitest";
import { formatBytes } from "./byte-size";

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [1023, "1023 B"],
    [2048, "2 KB"],
    [4300, "4.2 KB"],
    [64 * 1024, "64 KB"],
    [1.5 * 1024 * 1024, "1.5 MB"],
    [37 * 1024 * 1024, "37 MB"],
    [2 * 1024 ** 4, "2 TB"],
  ])("%d bytes -> %s", (bytes, shown) => expect(formatBytes(bytes)).toBe(shown));
});
