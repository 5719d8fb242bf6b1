import { afterEach, beforeEach, describe, expect, it } from "vitest";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { localStorage, type LocalStorage } from "@/lib/storage/local";

let root: string;
let tmp: string;
let store: LocalStorage;

beforeEach(async () => {
  root = await fsp.mkdtemp(path.join(os.tmpdir(), "trawl-storage-"));
  tmp = path.join(root, "tmp");
  await fsp.mkdir(tmp);
  store = localStorage(root);
});

afterEach(async () => {
  await fsp.rm(root, { recursive: true, force: true });
});

async function tmpFile(name: string, content: string): Promise<string> {
  const file = path.join(tmp, name);
  await fsp.writeFile(file, content);
  return file;
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  let text = "";
  for await (const chunk of stream) text += chunk.toString();
  return text;
}

describe("localStorage", () => {
  it("moves a temporary file under its key, creating the folders", async () => {
    const part = await tmpFile("a.part", "hello bytes");
    await store.put(part, "files/ab/abcdef.jpg");
    expect(await fsp.readFile(path.join(root, "files/ab/abcdef.jpg"), "utf8")).toBe("hello bytes");
    await expect(fsp.access(part)).rejects.toMatchObject({ code: "ENOENT" });
    expect(store.absolutePath("files/ab/abcdef.jpg")).toBe(path.join(root, "files", "ab", "abcdef.jpg"));
    expect(await store.exists("files/ab/abcdef.jpg")).toBe(true);
    expect(await store.stat("files/ab/abcdef.jpg")).toMatchObject({ bytes: 11 });
  });

  it("replaces an object under a taken key (content addresses: the same bytes) and removes the temporary file", async () => {
    await store.put(await tmpFile("first.part", "same bytes"), "files/ab/same.png");
    const second = await tmpFile("second.part", "same bytes");
    await store.put(second, "files/ab/same.png");
    expect(await fsp.readFile(store.absolutePath("files/ab/same.png"), "utf8")).toBe("same bytes");
    await expect(fsp.access(second)).rejects.toMatchObject({ code: "ENOENT" });
    expect(await fsp.readdir(tmp)).toEqual([]);
  });

  it("writes bytes under a key through a staging file that does not stay behind", async () => {
    await store.write("files/cd/bytes.png", Buffer.from("png bytes"));
    await store.write("files/cd/bytes.png", Buffer.from("png bytes"));
    expect(await fsp.readFile(store.absolutePath("files/cd/bytes.png"), "utf8")).toBe("png bytes");
    expect(await fsp.readdir(path.join(root, "tmp"))).toEqual([]);
  });

  it("writes again into a folder removed behind its back", async () => {
    await store.write("files/gh/one.png", Buffer.from("one"));
    await fsp.rm(path.join(root, "files", "gh"), { recursive: true });
    await store.write("files/gh/two.png", Buffer.from("two"));
    expect(await fsp.readFile(store.absolutePath("files/gh/two.png"), "utf8")).toBe("two");
    expect(await fsp.readdir(path.join(root, "tmp"))).toEqual([]);
  });

  it("fails a write it cannot place and leaves no staging file", async () => {
    await fsp.mkdir(path.join(root, "files"), { recursive: true });
    await fsp.writeFile(path.join(root, "files", "ef"), "a file where a folder should be");
    await expect(store.write("files/ef/x.png", Buffer.from("x"))).rejects.toMatchObject({
      code: expect.stringMatching(/^(EEXIST|ENOTDIR)$/),
    });
    expect(await fsp.readdir(path.join(root, "tmp"))).toEqual([]);
  });

  it("answers for missing keys without throwing", async () => {
    expect(await store.exists("files/zz/none.jpg")).toBe(false);
    expect(await store.stat("files/zz/none.jpg")).toBeNull();
    await store.remove("files/zz/none.jpg");
  });

  it("removes an object", async () => {
    await store.put(await tmpFile("x.part", "bye"), "thumbs/ab/x.webp");
    await store.remove("thumbs/ab/x.webp");
    expect(await store.exists("thumbs/ab/x.webp")).toBe(false);
  });

  it("streams an object whole or by inclusive byte range", async () => {
    await store.put(await tmpFile("r.part", "0123456789"), "files/01/r.mp4");
    expect(await readStream(await store.read("files/01/r.mp4"))).toBe("0123456789");
    expect(await readStream(await store.read("files/01/r.mp4", { start: 2, end: 5 }))).toBe("2345");
    expect(await readStream(await store.read("files/01/r.mp4", { start: 7 }))).toBe("789");
    await expect(store.read("files/01/r.mp4", { start: 5, end: 2 })).rejects.toThrow(/cannot end before it starts/);
  });

  it("fails a put whose temporary file is missing", async () => {
    await expect(store.put(path.join(tmp, "gone.part"), "files/ab/gone.jpg")).rejects.toMatchObject({ code: "ENOENT" });
  });

  it.each(["../etc/passwd", "files/../../x", "/abs/path", "files//x", "Files/AB/x.jpg", "files/ab/x y.jpg", ""])(
    "refuses the key %j",
    (key) => {
      expect(() => store.absolutePath(key)).toThrow();
    },
  );
});
