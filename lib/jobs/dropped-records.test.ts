import { describe, expect, it } from "vitest";
import { droppedRecordLines } from "./dropped-records";

describe("dropped records in the job log", () => {
  it("one line per reason, with the count and the first ids", () => {
    const dropped = [
      ...["a", "b", "c", "d", "e", "f"].map((remoteId) => ({ remoteId, reason: "no direct media file" })),
      { reason: "HEIC, which Trawl cannot store" },
    ];
    expect(droppedRecordLines("Reddit", dropped)).toEqual([
      "Reddit: left out 6 record(s), no direct media file: a, b, c, d, e, …",
      "Reddit: left out 1 record(s), HEIC, which Trawl cannot store",
    ]);
    expect(droppedRecordLines("Reddit", [])).toEqual([]);
  });
});
