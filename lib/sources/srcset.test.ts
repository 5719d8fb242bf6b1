import { describe, expect, it } from "vitest";
import { largestCandidate, parseSrcset } from "@/lib/sources/srcset";

describe("srcset parsing", () => {
  it("reads width and density descriptors", () => {
    expect(parseSrcset("a.jpg 480w, b.jpg 1200w,c.jpg 800w")).toEqual([
      { url: "a.jpg", width: 480 },
      { url: "b.jpg", width: 1200 },
      { url: "c.jpg", width: 800 },
    ]);
    expect(parseSrcset("a.png, b.png 1.5x, c.png 2x")).toEqual([
      { url: "a.png" },
      { url: "b.png", density: 1.5 },
      { url: "c.png", density: 2 },
    ]);
  });

  it("keeps commas inside URLs and treats a trailing comma as the end of a candidate", () => {
    expect(parseSrcset("https://i.example/w_400,h_300/x.webp 400w, https://i.example/w_800,h_600/x.webp 800w")).toEqual([
      { url: "https://i.example/w_400,h_300/x.webp", width: 400 },
      { url: "https://i.example/w_800,h_600/x.webp", width: 800 },
    ]);
    expect(parseSrcset("a.jpg,b.jpg 2x")).toEqual([{ url: "a.jpg,b.jpg", density: 2 }]);
    expect(parseSrcset("a.jpg, b.jpg 2x")).toEqual([{ url: "a.jpg" }, { url: "b.jpg", density: 2 }]);
  });

  it("picks the widest candidate, else the densest, keeping the first on ties", () => {
    expect(largestCandidate(parseSrcset("a.jpg 480w, b.jpg 1200w, c.jpg 800w"))?.url).toBe("b.jpg");
    expect(largestCandidate(parseSrcset("a.png, b.png 3x, c.png 2x"))?.url).toBe("b.png");
    expect(largestCandidate(parseSrcset("a.avif 1600w, b.webp 1600w"))?.url).toBe("a.avif");
    expect(largestCandidate([])).toBeUndefined();
  });
});
