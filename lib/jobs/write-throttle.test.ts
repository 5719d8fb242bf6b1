import { describe, expect, it } from "vitest";
import { WriteThrottle } from "./write-throttle";

describe("WriteThrottle", () => {
  it("lets one write per key through per interval", () => {
    let now = 1_000;
    const throttle = new WriteThrottle(500, () => now);
    expect(throttle.due("job-a")).toBe(true);
    expect(throttle.due("job-a")).toBe(false);
    expect(throttle.due("job-b")).toBe(true);
    now += 499;
    expect(throttle.due("job-a")).toBe(false);
    now += 1;
    expect(throttle.due("job-a")).toBe(true);
    throttle.forget("job-b");
    expect(throttle.due("job-b")).toBe(true);
  });
});
