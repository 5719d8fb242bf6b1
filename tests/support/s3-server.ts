import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import S3rver from "s3rver";

// A real S3-compatible HTTP server (s3rver: the S3 REST protocol with SigV4 checks, multipart
// uploads and ranged reads) on loopback, with one bucket, and the variables that point Trawl
// at it exactly as a deployment would.

export const TEST_BUCKET = "trawl-test";

export async function startS3Server(prefix = "library") {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "trawl-s3-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory, configureBuckets: [{ name: TEST_BUCKET }] });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  let closed = false;
  return {
    endpoint,
    directory,
    env: {
      TRAWL_STORAGE_URL: `s3://${TEST_BUCKET}/${prefix}`,
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_REGION: "us-east-1",
      // s3rver's built-in account.
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
    },
    /** Stops the server (a test may stop it early to see Trawl's answer to a store that is down). */
    async close() {
      if (closed) return;
      closed = true;
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
