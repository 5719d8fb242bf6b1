import { describe, expect, it } from "vitest";
import { displayName, filenameFromContentDisposition, filenameFromUrl } from "@/lib/download/display-name";

describe("filenameFromContentDisposition", () => {
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
    expect(filenameFromContentDisposition(header)).toBe(name);
  });
});

describe("filenameFromUrl", () => {
  it("takes the decoded last path segment", () => {
    expect(filenameFromUrl("https://upload.example.org/a/b/Grand%20Canyon%20(1).jpg?width=800")).toBe("Grand Canyon (1).jpg");
    expect(filenameFromUrl("https://example.org/dir/")).toBe("dir");
    expect(filenameFromUrl("https://example.org/")).toBeUndefined();
    expect(filenameFromUrl("https://example.org/%ZZ.png")).toBe("%ZZ.png");
  });
});

describe("displayName", () => {
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
    expect(displayName(candidate, ext)).toBe(name);
  });

  it("caps the name at 120 characters including the extension", () => {
    const name = displayName(`${"é".repeat(300)}.jpg`, "webp");
    expect(Array.from(name)).toHaveLength(120);
    expect(name.endsWith("é.webp")).toBe(true);
  });
});
