import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { headerDimensions } from "@/lib/media/image-dimensions";

const pixels = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: "#336699" } });

describe("headerDimensions", () => {
  it.each([
    ["png", () => pixels(37, 21).png().toBuffer()],
    ["jpeg", () => pixels(37, 21).jpeg().toBuffer()],
    ["webp", () => pixels(37, 21).webp().toBuffer()],
    ["gif", () => pixels(37, 21).gif().toBuffer()],
  ])("reads the size of a %s from its header", async (_type, make) => {
    expect(headerDimensions(await make())).toEqual({ ok: true, dimensions: { width: 37, height: 21 } });
  });

  it("reports a JPEG turned a quarter by its EXIF orientation as it is shown, like sharp's autoOrient", async () => {
    const rotated = await pixels(37, 21).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect(headerDimensions(rotated)).toEqual({ ok: true, dimensions: { width: 21, height: 37 } });
    const meta = await sharp(rotated).metadata();
    expect(headerDimensions(rotated)).toEqual({ ok: true, dimensions: { width: meta.autoOrient.width, height: meta.autoOrient.height } });
  });

  it("keeps the size of a JPEG whose orientation only flips it", async () => {
    expect(headerDimensions(await pixels(37, 21).jpeg().withMetadata({ orientation: 3 }).toBuffer())).toEqual({
      ok: true,
      dimensions: { width: 37, height: 21 },
    });
  });

  it("says why for bytes that are no image it knows, and for a header cut short", async () => {
    expect(headerDimensions(Buffer.from("<!DOCTYPE html><html></html>"))).toEqual({
      ok: false,
      reason: expect.stringMatching(/unsupported/i),
    });
    expect(headerDimensions(Buffer.alloc(0))).toMatchObject({ ok: false });
    const png = await pixels(37, 21).png().toBuffer();
    expect(headerDimensions(png.subarray(0, 12))).toEqual({ ok: false, reason: expect.any(String) });
  });
});
