import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { sniffMedia } from "@/lib/media/media-types";
import { minimalMp4 } from "@/tests/support/download-test-server";

const webmHead = Buffer.concat([
  Buffer.from("1a45dfa39f4286810142f7810142f2810442f381084282847765626d4287810442858102", "hex"),
  Buffer.alloc(256),
]);

async function image(format: "png" | "jpeg" | "gif" | "webp" | "avif" | "tiff") {
  return sharp({ create: { width: 16, height: 16, channels: 3, background: "#808080" } })
    .toFormat(format)
    .toBuffer();
}

describe("sniffMedia", () => {
  it.each([
    ["png", "image/png", "png"],
    ["jpeg", "image/jpeg", "jpg"],
    ["gif", "image/gif", "gif"],
    ["webp", "image/webp", "webp"],
    ["avif", "image/avif", "avif"],
    ["tiff", "image/tiff", "tif"],
  ] as const)("accepts %s images by their bytes", async (format, mime, ext) => {
    expect(await sniffMedia(await image(format), "image")).toEqual({ ok: true, media: { mediaType: "image", mime, ext } });
  });

  it("accepts MP4 and WebM video", async () => {
    expect(await sniffMedia(minimalMp4(), "video")).toEqual({ ok: true, media: { mediaType: "video", mime: "video/mp4", ext: "mp4" } });
    expect(await sniffMedia(webmHead, "any")).toEqual({ ok: true, media: { mediaType: "video", mime: "video/webm", ext: "webm" } });
  });

  it.each([
    ["<!DOCTYPE html><html><body>404</body></html>", "expected media but got an HTML page"],
    ["\n  <html lang=en><head><title>x</title></head></html>", "expected media but got an HTML page"],
    ['<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "SVG images are not accepted (they can contain scripts)"],
    ['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG images are not accepted (they can contain scripts)"],
    ["plain words, not a picture", "expected media but got a text document"],
    ['{"error":"not found"}', "expected media but got a text document"],
    ["", "expected media but got an empty file"],
  ])("refuses %j", async (text, reason) => {
    expect(await sniffMedia(Buffer.from(text), "any")).toEqual({ ok: false, reason });
  });

  it("refuses binary of unknown or non-media type", async () => {
    expect(await sniffMedia(Buffer.from([0x00, 0x01, 0x02, 0xfe, 0xff, 0x10, 0x80, 0x81]), "any")).toEqual({
      ok: false,
      reason: "expected media but got a file of unknown type",
    });
    const pdf = Buffer.from("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "latin1");
    expect(await sniffMedia(pdf, "image")).toEqual({ ok: false, reason: "expected media but got application/pdf (.pdf)" });
  });

  it("refuses an image where a video was expected and the reverse", async () => {
    expect(await sniffMedia(await image("png"), "video")).toEqual({ ok: false, reason: "expected a video but got an image (image/png)" });
    expect(await sniffMedia(minimalMp4(), "image")).toEqual({ ok: false, reason: "expected an image but got a video (video/mp4)" });
  });
});
