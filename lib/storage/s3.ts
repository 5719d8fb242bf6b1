import fs from "node:fs";
import fsp from "node:fs/promises";
import type { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import type { StorageConfig } from "@/lib/config";
import { byteRangeSchema, storageKeySchema, type Storage } from "./types";

// Objects in an S3-compatible bucket (AWS S3, MinIO, Garage, SeaweedFS, R2, …), through the
// AWS SDK v3. Large files go up in parts from their finished temporary file (lib-storage's
// Upload: PART_SIZE × PARTS_AT_ONCE in memory at most), so a 2 GB video is never whole in
// memory; resumable downloads keep their partial files in the local temporary folder as
// before and are uploaded once complete. Reads stream, and byte ranges pass through.

type S3Config = Extract<StorageConfig, { kind: "s3" }>;

const PART_SIZE = 8 * 1024 * 1024;
const PARTS_AT_ONCE = 4;

export function s3Client(cfg: S3Config) {
  return new S3Client({
    region: cfg.region,
    endpoint: cfg.endpoint,
    forcePathStyle: cfg.pathStyle,
    credentials: cfg.credentials,
    // The SDK's default CRC checksums on every request and response break many non-AWS servers.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
    requestHandler: { connectionTimeout: 10_000, requestTimeout: 120_000 },
  });
}

function isNotFound(error: unknown) {
  return (
    error instanceof S3ServiceException &&
    (error.$metadata.httpStatusCode === 404 || error.name === "NotFound" || error.name === "NoSuchKey")
  );
}

/** An SDK error with what was asked of which object, so the job log says more than "UnknownError". */
function explained(error: unknown, action: string, key: string) {
  if (!(error instanceof S3ServiceException)) return error;
  const status = error.$metadata.httpStatusCode;
  return new Error(`object storage: ${action} ${key} failed: ${error.name}${status ? ` (HTTP ${status})` : ""}: ${error.message}`, {
    cause: error,
  });
}

export function s3Storage(cfg: S3Config, client: S3Client = s3Client(cfg)): Storage {
  const Bucket = cfg.bucket;
  const objectKey = (key: string) => (cfg.prefix ? `${cfg.prefix}/${storageKeySchema.parse(key)}` : storageKeySchema.parse(key));

  async function send<T>(action: string, key: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw explained(error, action, key);
    }
  }

  async function stat(key: string) {
    try {
      const head = await client.send(new HeadObjectCommand({ Bucket, Key: objectKey(key) }));
      return { bytes: head.ContentLength ?? 0, modifiedAt: head.LastModified ?? new Date(0) };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw explained(error, "stat", key);
    }
  }

  return {
    stat,
    async exists(key) {
      return (await stat(key)) !== null;
    },
    async put(tmpPath, key) {
      const Key = objectKey(key);
      await send("upload", key, async () => {
        const upload = new Upload({
          client,
          params: { Bucket, Key, Body: fs.createReadStream(tmpPath) },
          partSize: PART_SIZE,
          queueSize: PARTS_AT_ONCE,
          leavePartsOnError: false,
        });
        await upload.done();
      });
      await fsp.unlink(tmpPath);
    },
    async write(key, bytes) {
      await send("write", key, () =>
        client.send(new PutObjectCommand({ Bucket, Key: objectKey(key), Body: bytes, ContentLength: bytes.byteLength })),
      );
    },
    async remove(key) {
      await send("remove", key, () => client.send(new DeleteObjectCommand({ Bucket, Key: objectKey(key) })));
    },
    async read(key, range) {
      const { start, end } = range ? byteRangeSchema.parse(range) : { start: undefined, end: undefined };
      const Range = start === undefined ? undefined : `bytes=${start}-${end ?? ""}`;
      const answer = await send("read", key, () => client.send(new GetObjectCommand({ Bucket, Key: objectKey(key), Range })));
      if (!answer.Body) throw new Error(`object storage: read ${key} answered without a body`);
      return answer.Body as Readable;
    },
    describe: () => `s3://${Bucket}${cfg.prefix ? `/${cfg.prefix}` : ""}${cfg.endpoint ? ` at ${cfg.endpoint}` : ""}`,
  };
}
