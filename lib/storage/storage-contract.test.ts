import { createHash, randomBytes } from "node:crypto";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { buffer } from "node:stream/consumers";
import { ListObjectsV2Command } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "@/lib/config";
import { startS3Server, TEST_BUCKET } from "@/tests/support/s3-server";
import { localStorage } from "./local";
import { s3Client, s3Storage } from "./s3";
import type { Storage } from "./types";

// The same behaviour from every store: the data directory, and a bucket on a real
// S3-compatible server (s3rver over HTTP, SigV4, multipart, ranges) reached through the
// AWS SDK exactly as configured in production (TRAWL_STORAGE_URL and the SDK's variables).

let s3: Awaited<ReturnType<typeof startS3Server>>;
let tmp: string;
beforeAll(async () => {
  s3 = await startS3Server();
});
afterAll(() => s3.close());
beforeEach(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), "trawl-store-"));
});

function s3Config(env: Record<string, string> = {}) {
  const { storage } = loadConfig({ ...s3.env, ...env });
  if (storage.kind !== "s3") throw new Error("expected an s3 storage configuration");
  return storage;
}

const backends: Array<[string, () => Storage]> = [
  ["the data directory", () => localStorage(tmp)],
  ["an S3-compatible bucket", () => s3Storage(s3Config({ TRAWL_STORAGE_URL: `s3://${TEST_BUCKET}/${path.basename(tmp)}` }))],
];

async function tmpFile(bytes: Uint8Array | string) {
  const file = path.join(tmp, `${randomBytes(4).toString("hex")}.part`);
  await fsp.writeFile(file, bytes);
  return file;
}

const text = async (store: Storage, key: string, range?: { start: number; end?: number }) =>
  (await buffer(await store.read(key, range))).toString();

describe.each(backends)("storage in %s", (_, make) => {
  let store: Storage;
  beforeEach(() => {
    store = make();
  });

  it("puts a finished temporary file under its key and removes the temporary file", async () => {
    const part = await tmpFile("hello bytes");
    await store.put(part, "files/ab/abcdef.jpg");
    await expect(fsp.access(part)).rejects.toMatchObject({ code: "ENOENT" });
    expect(await text(store, "files/ab/abcdef.jpg")).toBe("hello bytes");
    expect(await store.exists("files/ab/abcdef.jpg")).toBe(true);
    expect(await store.stat("files/ab/abcdef.jpg")).toMatchObject({ bytes: 11, modifiedAt: expect.any(Date) });
  });

  it("writes bytes, and replaces an object under a taken key", async () => {
    await store.write("files/cd/bytes.png", Buffer.from("first"));
    await store.write("files/cd/bytes.png", Buffer.from("second"));
    expect(await text(store, "files/cd/bytes.png")).toBe("second");
  });

  it("reads whole or by inclusive byte range", async () => {
    await store.write("files/01/r.mp4", Buffer.from("0123456789"));
    expect(await text(store, "files/01/r.mp4", { start: 2, end: 5 })).toBe("2345");
    expect(await text(store, "files/01/r.mp4", { start: 7 })).toBe("789");
    await expect(store.read("files/01/r.mp4", { start: 5, end: 2 })).rejects.toThrow(/cannot end before it starts/);
  });

  it("answers for a missing key: no stat, not there, removing it is fine, reading it fails", async () => {
    expect(await store.stat("files/zz/none.jpg")).toBeNull();
    expect(await store.exists("files/zz/none.jpg")).toBe(false);
    await store.remove("files/zz/none.jpg");
    await expect(store.read("files/zz/none.jpg")).rejects.toThrow();
  });

  it("removes an object", async () => {
    await store.write("thumbs/ab/x.webp", Buffer.from("bye"));
    await store.remove("thumbs/ab/x.webp");
    expect(await store.exists("thumbs/ab/x.webp")).toBe(false);
  });

  it("keeps a file larger than one upload part intact (20 MiB: three parts on S3)", async () => {
    const bytes = randomBytes(20 * 1024 * 1024);
    await store.put(await tmpFile(bytes), "files/ff/large.mp4");
    const back = await buffer(await store.read("files/ff/large.mp4"));
    expect(createHash("sha256").update(back).digest("hex")).toBe(createHash("sha256").update(bytes).digest("hex"));
    const tail = await buffer(await store.read("files/ff/large.mp4", { start: bytes.length - 1000 }));
    expect(tail.equals(bytes.subarray(bytes.length - 1000))).toBe(true);
  });

  it("fails a put whose temporary file is missing", async () => {
    await expect(store.put(path.join(tmp, "gone.part"), "files/ab/gone.jpg")).rejects.toMatchObject({ code: "ENOENT" });
  });

  it.each(["../etc/passwd", "files/../../x", "/abs/path", "files//x", "Files/AB/x.jpg", "files/ab/x y.jpg", ""])(
    "refuses the key %j",
    async (key) => {
      await expect(store.write(key, Buffer.from("x"))).rejects.toThrow();
      await expect(store.stat(key)).rejects.toThrow();
    },
  );
});

describe("the S3 store", () => {
  it("keeps objects under the configured prefix of the bucket", async () => {
    const cfg = s3Config({ TRAWL_STORAGE_URL: `s3://${TEST_BUCKET}/deep/prefix` });
    await s3Storage(cfg).write("files/ab/p.png", Buffer.from("p"));
    const listed = await s3Client(cfg).send(new ListObjectsV2Command({ Bucket: TEST_BUCKET, Prefix: "deep/" }));
    expect(listed.Contents?.map((object) => object.Key)).toEqual(["deep/prefix/files/ab/p.png"]);
  });

  it("reads its configuration from TRAWL_STORAGE_URL and the SDK's variables, path-style with an endpoint", () => {
    expect(s3Config()).toEqual({
      kind: "s3",
      bucket: TEST_BUCKET,
      prefix: "library",
      endpoint: s3.endpoint,
      region: "us-east-1",
      pathStyle: true,
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    });
    expect(loadConfig({ TRAWL_STORAGE_URL: "s3://media-bucket" }).storage).toMatchObject({
      bucket: "media-bucket",
      prefix: "",
      pathStyle: false,
    });
    expect(loadConfig({}).storage).toEqual({ kind: "local" });
    expect(() => loadConfig({ TRAWL_STORAGE_URL: "gs://elsewhere" })).toThrow(/s3:\/\/bucket/);
  });

  it("names the object, the action and the server's refusal when a request fails", async () => {
    const missingBucket = s3Storage(s3Config({ TRAWL_STORAGE_URL: "s3://no-such-bucket/x" }));
    await expect(missingBucket.write("files/ab/a.png", Buffer.from("a"))).rejects.toThrow(
      /^object storage: write files\/ab\/a\.png failed: NoSuchBucket \(HTTP 404\)/,
    );
    const wrongKey = s3Storage(s3Config({ AWS_ACCESS_KEY_ID: "NOT-A-KEY" }));
    await expect(wrongKey.stat("files/ab/a.png")).rejects.toThrow(/^object storage: stat files\/ab\/a\.png failed: .*\(HTTP 403\)/);
  });
});
