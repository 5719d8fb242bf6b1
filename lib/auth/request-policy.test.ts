import { describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { hostName, refusal, type RequestPolicy } from "./request-policy";

const policy: RequestPolicy = { allowedHosts: loadConfig({}).auth.allowedHosts, offlineEngine: true, trustMissingClientIp: false };
const app = "http://127.0.0.1:3000";

function request(method: string, path: string, headers: Record<string, string>) {
  return { method, url: `${app}${path}`, headers: new Headers({ host: "127.0.0.1:3000", ...headers }) };
}

describe("the request policy", () => {
  it("allows the app's own names: the app URL, loopback names on a loopback bind, and TRAWL_ALLOWED_HOSTS", () => {
    expect(policy.allowedHosts).toEqual(expect.arrayContaining(["127.0.0.1", "localhost", "[::1]"]));
    const exposed = loadConfig({
      TRAWL_HOST: "0.0.0.0",
      TRAWL_APP_URL: "https://trawl.example.org",
      TRAWL_ALLOWED_HOSTS: "media.lan:3000, Other.Example",
    }).auth.allowedHosts;
    expect(exposed.sort()).toEqual(["media.lan", "other.example", "trawl.example.org"]);
    expect(hostName("[::1]:3000")).toBe("[::1]");
    expect(hostName("Example.ORG:80")).toBe("example.org");
  });

  it("refuses a foreign Host (DNS rebinding) on every method", () => {
    for (const method of ["GET", "POST"]) {
      expect(refusal(request(method, "/api/jobs", { host: "evil.example:3000" }), policy, "127.0.0.1")).toMatchObject({ status: 403 });
      expect(refusal(request(method, "/", { host: "" }), policy, "127.0.0.1")).toMatchObject({ status: 403 });
    }
    expect(refusal(request("GET", "/api/jobs", { host: "localhost:3000" }), policy, "127.0.0.1")).toBeNull();
  });

  it("refuses cross-site writes: foreign Origin, Sec-Fetch-Site, opaque or missing Origin", () => {
    const cases: Array<Record<string, string>> = [
      { origin: "http://evil.example", "content-type": "application/json" },
      { origin: "http://127.0.0.1:4000", "content-type": "application/json" },
      { origin: "null", "content-type": "text/plain" },
      { "sec-fetch-site": "cross-site", "content-type": "application/json" },
      { "sec-fetch-site": "same-site", origin: app },
      { "content-type": "application/x-www-form-urlencoded" },
    ];
    for (const headers of cases) {
      for (const path of ["/api/jobs", "/api/jobs/bulk", "/", "/jobs"]) {
        expect(refusal(request("POST", path, headers), policy, "127.0.0.1"), `${path} ${JSON.stringify(headers)}`).toMatchObject({
          status: 403,
        });
      }
    }
  });

  it("JSON routes take only JSON bodies, even from the app's own origin", () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      expect(
        refusal(request("POST", "/api/jobs", { origin: app, "content-type": type, "content-length": "2" }), policy, "127.0.0.1"),
      ).toEqual({
        status: 415,
        message: "JSON routes accept only Content-Type: application/json",
      });
    }
    expect(
      refusal(
        request("POST", "/api/jobs", { origin: app, "content-type": "application/json; charset=utf-8", "content-length": "2" }),
        policy,
        "127.0.0.1",
      ),
    ).toBeNull();
    // A bodiless action needs no content type; a server action posts to a page path.
    expect(
      refusal(request("POST", "/api/jobs/x/cancel", { origin: app, "sec-fetch-site": "same-origin" }), policy, "127.0.0.1"),
    ).toBeNull();
    expect(
      refusal(
        request("POST", "/jobs", { origin: app, "content-type": "text/plain;charset=UTF-8", "next-action": "abc", "content-length": "9" }),
        policy,
        "127.0.0.1",
      ),
    ).toBeNull();
  });

  it("a request with an API key is exempt from the origin check, not from the Host or body checks", () => {
    const key = { authorization: "Bearer trawl_abc" };
    expect(refusal(request("DELETE", "/api/jobs/x", key), policy, "127.0.0.1")).toBeNull();
    expect(
      refusal(request("POST", "/api/jobs", { ...key, "content-type": "text/plain", "content-length": "2" }), policy, "127.0.0.1"),
    ).toMatchObject({ status: 415 });
    expect(refusal(request("POST", "/api/jobs", { ...key, host: "evil.example" }), policy, "127.0.0.1")).toMatchObject({ status: 403 });
  });

  it("the offline engine's endpoint answers loopback callers only", () => {
    expect(refusal(request("POST", "/api/inngest?fnId=x", {}), policy, "127.0.0.1")).toBeNull();
    expect(refusal(request("PUT", "/api/inngest", {}), policy, "::1")).toBeNull();
    expect(refusal(request("POST", "/api/inngest", {}), policy, "192.0.2.10")).toMatchObject({ status: 403 });
    expect(refusal(request("POST", "/api/inngest", {}), policy, null)).toMatchObject({ status: 403 });
    expect(refusal(request("POST", "/api/inngest", {}), { ...policy, offlineEngine: false }, "192.0.2.10")).toBeNull();
  });
});
