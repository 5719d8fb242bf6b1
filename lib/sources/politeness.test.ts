import { describe, expect, it } from "vitest";
import { HttpError, type HttpClient } from "@/lib/net/http-client";
import { politeHttpClient, RequestGate } from "./politeness";

describe("RequestGate", () => {
  it("never starts two requests closer than 1/rps apart, across callers", async () => {
    const gate = new RequestGate({ requestsPerSecond: 20, concurrency: 4 });
    const starts: number[] = [];
    await Promise.all(Array.from({ length: 6 }, () => gate.run(async () => void starts.push(performance.now()))));
    const gaps = starts.slice(1).map((t, i) => t - starts[i]);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(45); // 50 ms spacing, minus timer jitter
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    const gate = new RequestGate({ requestsPerSecond: 1000, concurrency: 2 });
    let inFlight = 0;
    let peak = 0;
    const task = async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      inFlight--;
    };
    await Promise.all(Array.from({ length: 7 }, () => gate.run(task)));
    expect(peak).toBe(2);
  });

  it("passes a task's failure to its caller and frees the slot", async () => {
    const gate = new RequestGate({ requestsPerSecond: 1000, concurrency: 1 });
    await expect(gate.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(gate.run(async () => "next")).resolves.toBe("next");
  });
});

describe("politeHttpClient", () => {
  it("pauses the source after a 429 with Retry-After, for every later request", async () => {
    const gate = new RequestGate({ requestsPerSecond: 1000, concurrency: 1 });
    let calls = 0;
    const http: HttpClient = {
      async getJson() {
        calls++;
        if (calls === 1) throw new HttpError("HTTP 429 from api.example", 429, 300);
        return { ok: true };
      },
      async getText() {
        throw new Error("unused");
      },
    };
    const polite = politeHttpClient(http, gate);
    await expect(polite.getJson("https://api.example/x")).rejects.toMatchObject({ status: 429 });
    expect(gate.rateLimitedUntil).toBeGreaterThan(Date.now() + 200);
    const before = performance.now();
    await expect(polite.getJson("https://api.example/x")).resolves.toEqual({ ok: true });
    expect(performance.now() - before).toBeGreaterThanOrEqual(250);
  });
});
