import { describe, expect, it } from "vitest";
import { ifRangeValidator, parseContentRange, planResponse, rangeHeaders, type ResumePoint } from "@/lib/download/range-resume";

const point: ResumePoint = { offset: 1000, validator: '"abc"', totalBytes: 5000 };

describe("rangeHeaders", () => {
  it("asks for the rest of the file, if it is still the same one", () => {
    expect(rangeHeaders(point)).toEqual({ range: "bytes=1000-", "if-range": '"abc"' });
  });
});

describe("ifRangeValidator", () => {
  it.each([
    [{ etag: '"v1"', "last-modified": "Wed, 21 Oct 2015 07:28:00 GMT" }, '"v1"'],
    [{ etag: 'W/"v1"', "last-modified": "Wed, 21 Oct 2015 07:28:00 GMT" }, "Wed, 21 Oct 2015 07:28:00 GMT"],
    [{ etag: 'W/"v1"' }, null],
    [{ "last-modified": "not a date" }, null],
    [{}, null],
  ])("%j -> %j", (headers, validator) => {
    expect(ifRangeValidator(headers)).toBe(validator);
  });
});

describe("parseContentRange", () => {
  it.each([
    ["bytes 0-99/100", { kind: "range", start: 0, end: 99, total: 100 }],
    ["bytes 100-199/*", { kind: "range", start: 100, end: 199, total: null }],
    ["bytes */5000", { kind: "unsatisfied", total: 5000 }],
    ["bytes 10-5/100", null],
    ["bytes 0-100/100", null],
    ["items 0-1/2", null],
    ["", null],
    [undefined, null],
  ])("%j -> %j", (header, parsed) => {
    expect(parseContentRange(header)).toEqual(parsed);
  });
});

describe("planResponse", () => {
  it("appends a 206 that starts where the part ends", () => {
    expect(planResponse(point, 206, { "content-range": "bytes 1000-4999/5000" })).toEqual({ kind: "append", total: 5000 });
    expect(planResponse(point, 206, { "content-range": "bytes 1000-2999/*" })).toEqual({ kind: "append", total: 5000 });
  });

  it("cannot use a 206 from elsewhere, of another length, or unreadable", () => {
    expect(planResponse(point, 206, { "content-range": "bytes 0-4999/5000" })).toEqual({
      kind: "unusable",
      reason: "asked for bytes from 1000, the server sent bytes 0-4999",
    });
    expect(planResponse(point, 206, { "content-range": "bytes 1000-5999/6000" })).toEqual({
      kind: "unusable",
      reason: "the file was 5000 bytes, the server now says 6000",
    });
    expect(planResponse(point, 206, {})).toEqual({
      kind: "unusable",
      reason: "the server answered 206 with an unreadable Content-Range null",
    });
  });

  it("restarts on a full answer", () => {
    expect(planResponse(point, 200, {}, 7000)).toEqual({ kind: "restart", total: 7000 });
    expect(planResponse(null, 200, {})).toEqual({ kind: "restart", total: null });
    expect(planResponse(null, 206, { "content-range": "bytes 0-99/100" })).toEqual({ kind: "restart", total: 100 });
  });

  it("takes 416 as complete only when the sizes agree", () => {
    expect(planResponse({ ...point, offset: 5000 }, 416, { "content-range": "bytes */5000" })).toEqual({ kind: "complete" });
    expect(planResponse(point, 416, { "content-range": "bytes */800" })).toEqual({
      kind: "unusable",
      reason: "the server refused the range: the file is 800 bytes, 1000 bytes are on disk",
    });
    expect(planResponse(point, 416, {})).toEqual({
      kind: "unusable",
      reason: "the server refused the range: the file is of unknown size, 1000 bytes are on disk",
    });
  });
});
