import { describe, expect, it } from "vitest";
import { formatCursor, parseCursor } from "@/lib/sources/cursor";
import { SourceError } from "@/lib/sources/types";

const ONE = ["all"] as const;
const TWO = ["photos", "videos"] as const;

function refused(run: () => unknown) {
  expect(run).toThrow(SourceError);
  expect(run).toThrow(/^Example: invalid cursor "/);
}

describe("the one cursor format", () => {
  it("starts at the first page of the first phase", () => {
    expect(parseCursor("Example", null, { phases: TWO, firstPage: 1 })).toEqual({ phase: "photos", page: 1, skip: 0 });
    expect(parseCursor("Example", null, { phases: ONE, firstPage: "*" })).toEqual({ phase: "all", page: "*", skip: 0 });
  });

  it("writes the phase only for sources that walk several, and the skip only when there is one", () => {
    expect(formatCursor({ phase: "all", page: 3, skip: 0 }, ONE)).toBe("3");
    expect(formatCursor({ phase: "all", page: 3, skip: 40 }, ONE)).toBe("3:40");
    expect(formatCursor({ phase: "videos", page: 2, skip: 5 }, TWO)).toBe("videos:2:5");
    expect(formatCursor({ phase: "all", page: "t3_abc", skip: 0 }, ONE)).toBe("~t3_abc");
  });

  it("reads back what it wrote, tokens with colons, slashes and plus signs included", () => {
    const tokens = ["", "t3_abc", "AoE/pl+x==:1", "*", "ünï"];
    for (const token of tokens) {
      for (const skip of [0, 7]) {
        const position = { phase: "videos", page: token, skip };
        expect(parseCursor("Example", formatCursor(position, TWO), { phases: TWO, firstPage: "*" })).toEqual(position);
      }
    }
    expect(parseCursor("Example", "12:3", { phases: ONE, firstPage: 0 })).toEqual({ phase: "all", page: 12, skip: 3 });
  });

  it("refuses cursors of the other kind, unknown phases and pages outside the API's range", () => {
    refused(() => parseCursor("Example", "~abc", { phases: ONE, firstPage: 1 }));
    refused(() => parseCursor("Example", "3", { phases: ONE, firstPage: "" }));
    refused(() => parseCursor("Example", "gifs:1", { phases: TWO, firstPage: 1 }));
    refused(() => parseCursor("Example", "0", { phases: ONE, firstPage: 1 }));
    refused(() => parseCursor("Example", "1001", { phases: ONE, firstPage: 1, maxPage: 1000 }));
    refused(() => parseCursor("Example", "~%E0%A4%A", { phases: ONE, firstPage: "" }));
    refused(() => parseCursor("Example", "next", { phases: ONE, firstPage: 1 }));
    refused(() => parseCursor("Example", "1:2:3", { phases: ONE, firstPage: 1 }));
  });
});
