import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { config } from "@/lib/config";
import { createDb, db, type Db } from "@/lib/db";
import { copyLibrary } from "@/lib/db/copy-library";
import { allowInserts, refuseInserts } from "@/tests/support/refused-writes";

// An existing embedded library (a SQLite file made by the real migrations) copied into this
// test file's own database: SQLite in the suite's first pass, PostgreSQL in its second.

const TABLES = [
  "user",
  "session",
  "account",
  "verification",
  "appSecret",
  "rateLimit",
  "apikey",
  "sourceSetting",
  "job",
  "jobSource",
  "asset",
  "item",
  "jobEvent",
] as const;
type Table = (typeof TABLES)[number];

let sourceUrl: string;
let source: Db;

function run(script: string, args: string[], env: Record<string, string>) {
  const result = spawnSync(process.execPath, ["--import", "tsx", script, ...args], { env: { ...process.env, ...env }, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

async function fillLibrary(client: Db) {
  const at = (ms: number) => new Date(Date.UTC(2026, 10, 1, 12, 0, 0, ms));
  const user = await client.user.create({
    data: { id: "u-1", name: "Ada Ł. 北斎", email: "ada@example.test", username: "ada", role: "admin", createdAt: at(1), updatedAt: at(2) },
  });
  await client.user.create({
    data: { id: "u-2", name: "Ben", email: "ben@example.test", banned: true, banReason: "spam", banExpires: at(999) },
  });
  await client.session.create({
    data: { id: "s-1", token: "tok-1", userId: user.id, expiresAt: at(500), userAgent: "UA", ipAddress: "203.0.113.9" },
  });
  await client.account.create({
    data: { id: "a-1", accountId: user.id, providerId: "credential", userId: user.id, password: "scrypt$hash" },
  });
  await client.verification.create({ data: { id: "v-1", identifier: "reset", value: "x", expiresAt: at(7) } });
  await client.appSecret.create({ data: { name: "session-signing", value: "s3cret" } });
  await client.rateLimit.create({ data: { id: "r-1", key: "203.0.113.9/sign-in", count: 3, lastRequest: 1_764_000_000_123n } });
  await client.apikey.create({
    data: {
      id: "k-1",
      referenceId: user.id,
      key: "sha256-of-key",
      name: "laptop",
      start: "trawl_ab",
      createdAt: at(3),
      updatedAt: at(4),
      permissions: '{"jobs":["read"]}',
    },
  });
  await client.sourceSetting.create({
    data: { sourceId: "openverse", enabled: false, apiKey: "key", lastError: "HTTP 503", lastErrorAt: at(5) },
  });
  const job = await client.job.create({
    data: {
      id: "j-1",
      userId: user.id,
      query: "aurora «borealis»",
      mediaTypes: "both",
      maxItems: 40,
      status: "completed_with_errors",
      bytes: 9_007_199_254_740_993n,
      safeSearch: false,
      finishedAt: at(6),
    },
  });
  await client.jobSource.create({
    data: { id: "js-1", jobId: job.id, sourceId: "openverse", status: "completed", detected: 2, downloaded: 1, failed: 1 },
  });
  const asset = await client.asset.create({
    data: {
      id: "as-1",
      userId: user.id,
      sha256: "ab".repeat(32),
      mime: "image/png",
      ext: "png",
      mediaType: "image",
      bytes: 5_000_000_000n,
      width: 640,
      height: 480,
      storageKey: "ab/abcd.png",
      originalName: "a.png",
      sourceId: "openverse",
      jobId: job.id,
      mediaUrl: "https://example.test/a.png",
      license: "CC BY 4.0",
    },
  });
  await client.item.createMany({
    data: [
      {
        id: "i-1",
        jobId: job.id,
        sourceId: "openverse",
        remoteId: "r1",
        mediaType: "image",
        mediaUrl: "https://example.test/a.png",
        status: "downloaded",
        assetId: asset.id,
        bytes: 5_000_000_000n,
        expectedBytes: 5_000_000_000n,
      },
      {
        id: "i-2",
        jobId: job.id,
        sourceId: "openverse",
        remoteId: "r2",
        mediaType: "video",
        mediaUrl: "https://example.test/b.mp4",
        status: "failed",
        reason: "HTTP 404",
      },
    ],
  });
  for (let n = 0; n < 25; n++)
    await client.jobEvent.create({ data: { jobId: job.id, level: n % 5 ? "info" : "warn", message: `event ${n}`, sourceId: "openverse" } });
}

async function rowsOf(client: Db, table: Table) {
  const delegate = (client as unknown as Record<Table, { findMany(args: object): Promise<object[]> }>)[table];
  return delegate.findMany({
    orderBy: table === "appSecret" ? { name: "asc" } : table === "sourceSetting" ? { sourceId: "asc" } : { id: "asc" },
  });
}

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "trawl-copy-source-"));
  sourceUrl = `file:${path.join(dir, "old.db")}`;
  const migrate = spawnSync(process.execPath, ["scripts/prisma.mjs", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: sourceUrl },
    encoding: "utf8",
  });
  expect(migrate.status, migrate.stderr).toBe(0);
  source = createDb(sourceUrl);
  await fillLibrary(source);
});
afterAll(() => source.$disconnect());

beforeEach(async () => {
  await allowInserts("JobEvent");
  for (const table of [...TABLES].reverse())
    await (db() as unknown as Record<Table, { deleteMany(): Promise<unknown> }>)[table].deleteMany();
});

describe(`copying a library into ${config().databaseKind}`, () => {
  it("copies every table row for row, keys, big integers, text and timestamps kept", async () => {
    const counts = await copyLibrary(source, { client: db(), kind: config().databaseKind }, { batchSize: 7 });
    expect(counts).toMatchObject({ user: 2, session: 1, apikey: 1, job: 1, item: 2, asset: 1, jobEvent: 25 });
    for (const table of TABLES) expect({ table, rows: await rowsOf(db(), table) }).toEqual({ table, rows: await rowsOf(source, table) });
  });

  it("goes on numbering events after the copied ones", async () => {
    await copyLibrary(source, { client: db(), kind: config().databaseKind });
    const highest = (await source.jobEvent.aggregate({ _max: { id: true } }))._max.id!;
    const next = await db().jobEvent.create({ data: { jobId: "j-1", level: "info", message: "after the move" } });
    expect(next.id).toBeGreaterThan(highest);
  });

  it("refuses a target that already holds rows, and changes nothing", async () => {
    await copyLibrary(source, { client: db(), kind: config().databaseKind });
    await expect(copyLibrary(source, { client: db(), kind: config().databaseKind })).rejects.toThrow(
      /The target database is not empty: user \(2\), session \(1\)/,
    );
    expect(await db().jobEvent.count()).toBe(25);
  });

  it("leaves the target empty when a write fails part-way", async () => {
    await refuseInserts("JobEvent", "disk full (simulated)");
    // SQLite's driver reports a trigger's refusal as a constraint failure, PostgreSQL with its message.
    await expect(copyLibrary(source, { client: db(), kind: config().databaseKind })).rejects.toThrow(
      config().databaseKind === "sqlite" ? /constraint/i : /disk full \(simulated\)/,
    );
    for (const table of TABLES) expect({ table, rows: await rowsOf(db(), table) }).toEqual({ table, rows: [] });
  });

  it("moves a library from the command line (npm run db:copy), migrating both databases", async () => {
    const copy = run("scripts/copy-library.ts", ["--from", sourceUrl, "--to", process.env.DATABASE_URL!], {});
    expect(copy.output).toContain("jobEvent: 25 rows");
    expect(copy.output).toMatch(/Done: \d+ rows/);
    expect(copy.status).toBe(0);
    expect(await rowsOf(db(), "item")).toEqual(await rowsOf(source, "item"));
    const again = run("scripts/copy-library.ts", ["--from", sourceUrl, "--to", process.env.DATABASE_URL!], {});
    expect(again.output).toContain("Copy failed: The target database is not empty");
    expect(again.status).toBe(1);
    const bad = run("scripts/copy-library.ts", ["--to", "mysql://nope"], {});
    expect(bad.output).toContain("must be a file: or postgresql:// URL");
    expect(bad.status).toBe(2);
  });
});
