import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { insertRows } from "@/lib/db/bulk";
import { jobWorld } from "@/tests/support/job-world";
import { createJob } from "./create";
import { createJobInput } from "./input";
import { getJobDetail, ITEMS_SHOWN } from "./queries";
import { ownerId } from "@/tests/support/users";

const world = jobWorld({ site: false });

async function jobWithItems(statuses: string[]) {
  const { jobId } = await createJob(
    db(),
    world.intake.send,
    await ownerId(),
    createJobInput.parse({ sources: ["direct-links"], maxItems: 500, targetUrls: ["https://example.org/a.png"] }),
  );
  const start = Date.now();
  await insertRows(
    db(),
    "Item",
    statuses.map((status, n) => ({
      id: randomUUID(),
      jobId,
      sourceId: "direct-links",
      remoteId: `item-${n}`,
      mediaType: "image",
      mediaUrl: `https://example.org/${n}.png`,
      status,
      reason: status === "failed" ? `HTTP 404 for ${n}` : null,
      attempts: 1,
      bytes: BigInt(0),
      createdAt: new Date(start + n),
      updatedAt: new Date(start + n),
    })),
  );
  return jobId;
}

describe("getJobDetail", () => {
  it("lists failed items first, then the others in the order they were found", async () => {
    const jobId = await jobWithItems(["downloaded", "pending", "failed", "skipped", "failed"]);
    const detail = await getJobDetail(db(), await ownerId(), jobId);
    expect(detail?.items.map((i) => [i.mediaUrl.slice(-5), i.status])).toEqual([
      ["4.png", "failed"],
      ["2.png", "failed"],
      ["0.png", "downloaded"],
      ["1.png", "pending"],
      ["3.png", "skipped"],
    ]);
    expect(detail?.items[0]).toMatchObject({ reason: "HTTP 404 for 4", attempts: 1, bytes: 0, assetId: null });
  });

  it(`sends at most ${ITEMS_SHOWN} items, failed ones included however late they came`, async () => {
    const statuses = Array.from({ length: ITEMS_SHOWN + 50 }, () => "downloaded");
    statuses.push("failed");
    const detail = await getJobDetail(db(), await ownerId(), await jobWithItems(statuses));
    expect(detail?.items).toHaveLength(ITEMS_SHOWN);
    expect(detail?.items[0]).toMatchObject({ status: "failed", mediaUrl: `https://example.org/${ITEMS_SHOWN + 50}.png` });
  });
});
