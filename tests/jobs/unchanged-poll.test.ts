import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { createJob } from "@/lib/jobs/create";
import { createJobInput } from "@/lib/jobs/input";
import { jobDetailVersion, jobListVersion } from "@/lib/jobs/poll-version";
import { config } from "@/lib/config";
import { unchangedPoll } from "@/server/unchanged-poll";
import { signedInUser } from "@/tests/support/accounts";
import { jobWorld } from "@/tests/support/job-world";

// The web server's answer to a revalidating poll before Next (scripts/web-server.mjs): 304 only
// for a signed-in owner whose ETag is current, on the two polled paths, from an allowed Host;
// anything else is left to Next (null), which applies its own checks and answers in full.

const world = jobWorld({ site: false });

async function ownJob(userId: string) {
  const input = createJobInput.parse({ sources: ["direct-links"], maxItems: 5, targetUrls: ["https://example.org/a.png"] });
  return (await createJob(db(), world.intake.send, userId, input)).jobId;
}

function headers(cookie: string, etag?: string, host = new URL(config().appUrl).host) {
  return { host, cookie, "x-trawl-client-ip": "127.0.0.1", ...(etag ? { "if-none-match": etag } : {}) };
}

describe("unchangedPoll", () => {
  it("answers 304 headers for the owner's current version of a job page and of the dashboard list", async () => {
    const owner = await signedInUser("poller-one");
    const jobId = await ownJob(owner.id);
    const detailTag = `W/"${await jobDetailVersion(db(), owner.id, jobId)}"`;
    const answer = await unchangedPoll("GET", `/api/jobs/${jobId}`, headers(owner.cookie, detailTag));
    expect(answer).toMatchObject({ ETag: detailTag, "Cache-Control": "private, no-cache", "X-Content-Type-Options": "nosniff" });

    const listTag = `W/"${await jobListVersion(db(), owner.id, { status: "active", limit: 50 })}"`;
    expect(await unchangedPoll("GET", "/api/jobs?status=active", headers(owner.cookie, listTag))).toMatchObject({ ETag: listTag });
    // another filter is another version
    expect(await unchangedPoll("GET", "/api/jobs?limit=15", headers(owner.cookie, listTag))).toBeNull();
  });

  it("leaves everything else to Next", async () => {
    const owner = await signedInUser("poller-two");
    const stranger = await signedInUser("poller-three");
    const jobId = await ownJob(owner.id);
    const tag = `W/"${await jobDetailVersion(db(), owner.id, jobId)}"`;
    const path = `/api/jobs/${jobId}`;
    expect(await unchangedPoll("GET", path, headers(owner.cookie))).toBeNull(); // no If-None-Match
    expect(await unchangedPoll("GET", path, headers(owner.cookie, 'W/"stale"'))).toBeNull(); // changed
    expect(await unchangedPoll("GET", path, headers(stranger.cookie, tag))).toBeNull(); // not the owner's
    expect(await unchangedPoll("GET", path, headers("", tag))).toBeNull(); // anonymous
    expect(await unchangedPoll("GET", path, headers(owner.cookie, tag, "evil.example"))).toBeNull(); // foreign Host
    expect(await unchangedPoll("POST", path, headers(owner.cookie, tag))).toBeNull();
    expect(await unchangedPoll("GET", `${path}/retry`, headers(owner.cookie, tag))).toBeNull();
    expect(await unchangedPoll("GET", "/api/jobs?status=bogus", headers(owner.cookie, tag))).toBeNull();
  });
});
