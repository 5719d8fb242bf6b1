import { describe, expect, it } from "vitest";
import { safeFileName, fileNameFromContentDisposition, fileNameFromUrl } from "@/lib/media/file-names";

describe("fileNameFromContentDisposition", () => {
  it.each([
    ['attachment; filename="sunset.jpg"', "sunset.jpg"],
    ["attachment; filename=sunset.jpg", "sunset.jpg"],
    ['inline; filename="say \\"hi\\".png"', 'say "hi".png'],
    ["attachment; filename*=UTF-8''na%C3%AFve%20caf%C3%A9.jpg", "naïve café.jpg"],
    ["attachment; filename=\"fallback.jpg\"; filename*=UTF-8''%E2%82%AC%20rates.jpg", "€ rates.jpg"],
    ["attachment; filename*=iso-8859-1''caf%E9.jpg", "café.jpg"],
    ["attachment; filename*=UTF-8''bad%E0%A4%A.jpg", "bad\uFFFD%A.jpg"],
    ["attachment", undefined],
    [undefined, undefined],
  ])("%j -> %j", (header, name) => {
    expect(fileNameFromContentDisposition(header)).toBe(name);
  });
});

describe("fileNameFromUrl", () => {
  it("takes the decoded last path segment", () => {
    expect(fileNameFromUrl("https://upload.example.org/a/b/Grand%20Canyon%20(1).jpg?width=800")).toBe("Grand Canyon (1).jpg");
    expect(fileNameFromUrl("https://example.org/dir/")).toBe("dir");
    expect(fileNameFromUrl("https://example.org/")).toBeUndefined();
    expect(fileNameFromUrl("https://example.org/%ZZ.png")).toBe("%ZZ.png");
  });
});

describe("safeFileName", () => {
  it.each([
    ["sunset.jpg", "png", "sunset.png"],
    ["sunset", "jpg", "sunset.jpg"],
    ["../../etc/passwd", "jpg", "etc_passwd.jpg"],
    ["..\\..\\windows\\win.ini", "png", "windows_win.png"],
    ["..", "png", "file.png"],
    [".hidden.gif", "gif", "hidden.gif"],
    ["a..b.jpg", "jpg", "a.b.jpg"],
    ["evil\u202Egnp.exe", "png", "evilgnp.png"],
    ["line\nbreak\u0000.jpg", "jpg", "linebreak.jpg"],
    ["Cafe\u0301.png", "png", "Caf\u00e9.png"],
    ['what?<is>:"this"|*.jpg', "jpg", "what__is___this___.jpg"],
    ["   ", "webm", "file.webm"],
    [undefined, "mp4", "file.mp4"],
  ])("%j as .%s -> %j", (candidate, ext, name) => {
    expect(safeFileName(candidate, ext)).toBe(name);
  });

  it.each([
    ["CON", "png", "_CON.png"],
    ["con.jpg", "png", "_con.png"],
    ["Aux.tar.gz", "jpg", "_Aux.tar.jpg"],
    ["NUL .txt", "gif", "_NUL.gif"],
    ["prn", "webp", "_prn.webp"],
    ["COM1", "jpg", "_COM1.jpg"],
    ["com9.png", "png", "_com9.png"],
    ["LPT1.jpeg", "jpg", "_LPT1.jpg"],
    ["lpt9", "mp4", "_lpt9.mp4"],
    ["COM\u00b9.png", "png", "_COM\u00b9.png"],
    ["../CON", "png", "_CON.png"],
    ["COM10", "jpg", "COM10.jpg"],
    ["CONSOLE.png", "png", "CONSOLE.png"],
    ["my con.png", "png", "my con.png"],
    ["nullable.jpg", "jpg", "nullable.jpg"],
  ])("keeps Windows device name %j from being one: .%s -> %j", (candidate, ext, name) => {
    expect(safeFileName(candidate, ext)).toBe(name);
  });

  it.each([
    ["photo. . .", "jpg", "photo.jpg"],
    ["photo .", "jpg", "photo.jpg"],
    ["  .photo.jpg  ", "png", "photo.png"],
    ["...", "png", "file.png"],
    ["summer. .jpg", "jpg", "summer.jpg"],
  ])("strips leading and trailing dots and spaces from %j", (candidate, ext, name) => {
    expect(safeFileName(candidate, ext)).toBe(name);
  });

  it("does not leave a dot or space where the length cap cuts", () => {
    // 115 "a" and a gap: the cap (116 characters before ".jpg") falls inside the gap.
    for (const gap of [". ", "  ", " ."]) {
      const name = safeFileName(`${"a".repeat(115)}${gap}bbbbbbbbbb`, "jpg");
      expect(name).toBe(`${"a".repeat(115)}.jpg`);
    }
  });

  it("caps the name at 120 characters including the extension", () => {
    const name = safeFileName(`${"é".repeat(300)}.jpg`, "webp");
    expect(Array.from(name)).toHaveLength(120);
    expect(name.endsWith("é.webp")).toBe(true);
  });
});
