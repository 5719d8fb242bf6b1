import { describe, expect, it } from "vitest";
import { checkAddress } from "@/lib/net/address-policy";
import { assertFetchableUrl, isAllowListed } from "@/lib/net/url-policy";
import { BlockedUrlError } from "@/lib/net/http-client";

// [address, expected problem or null when allowed]
const addresses: Array<[string, string | null]> = [
  ["93.184.216.34", null],
  ["8.8.8.8", null],
  ["1.1.1.1", null],
  ["127.0.0.1", "a loopback address"],
  ["127.255.255.254", "a loopback address"],
  ["10.0.0.5", "a private address"],
  ["172.16.0.1", "a private address"],
  ["172.31.255.255", "a private address"],
  ["172.32.0.1", null],
  ["192.168.1.1", "a private address"],
  ["169.254.169.254", "a link-local address"],
  ["169.254.0.1", "a link-local address"],
  ["100.64.0.1", "a carrier-grade NAT address"],
  ["100.127.255.255", "a carrier-grade NAT address"],
  ["224.0.0.1", "a multicast address"],
  ["239.255.255.250", "a multicast address"],
  ["255.255.255.255", "the broadcast address"],
  ["0.0.0.0", "an unspecified address"],
  ["0.1.2.3", "an unspecified address"],
  ["192.0.2.10", "a reserved address"],
  ["198.18.0.1", "a reserved address"],
  ["240.0.0.1", "a reserved address"],
  ["2606:4700:4700::1111", null],
  ["2001:4860:4860::8888", null],
  ["::1", "a loopback address"],
  ["::", "an unspecified address"],
  ["fc00::1", "a private (unique-local) address"],
  ["fd12:3456:789a::1", "a private (unique-local) address"],
  ["fe80::1", "a link-local address"],
  ["fe80::1%eth0", "a link-local address"],
  ["ff02::1", "a multicast address"],
  ["fec0::1", "a private (site-local) address"],
  ["2001:db8::1", "a reserved address"],
  ["::ffff:127.0.0.1", "a loopback address (embedded IPv4 127.0.0.1)"],
  ["::ffff:7f00:1", "a loopback address (embedded IPv4 127.0.0.1)"],
  ["::ffff:10.0.0.1", "a private address (embedded IPv4 10.0.0.1)"],
  ["::ffff:169.254.169.254", "a link-local address (embedded IPv4 169.254.169.254)"],
  ["::ffff:8.8.8.8", null],
  ["::ffff:0:192.168.0.1", "a private address (embedded IPv4 192.168.0.1)"],
  ["64:ff9b::127.0.0.1", "a loopback address (embedded IPv4 127.0.0.1)"],
  ["64:ff9b::8.8.8.8", null],
  ["64:ff9b:1::1", "a special-purpose address (rfc6052)"],
  ["2002:7f00:1::1", "a loopback address (embedded IPv4 127.0.0.1)"],
  ["2002:c0a8:101::1", "a private address (embedded IPv4 192.168.1.1)"],
  ["2002:808:808::1", null],
  // Teredo: server 65.54.227.120, client 10.0.0.1 stored inverted (f5ff:fffe).
  ["2001:0:4136:e378:8000:63bf:f5ff:fffe", "a private address (embedded IPv4 10.0.0.1)"],
  ["2001:0:4136:e378:8000:63bf:f7f7:f7f7", null],
  // ipaddr.js reads the dotted IPv4-compatible form as IPv4-mapped; either way it is refused.
  ["::127.0.0.1", "a loopback address (embedded IPv4 127.0.0.1)"],
  ["::7f00:1", "not a global unicast address"],
  ["100::1", "a special-purpose address (discard)"],
  ["not-an-ip", "not an IP address"],
];

describe("checkAddress", () => {
  it.each(addresses)("%s", (address, problem) => {
    const verdict = checkAddress(address);
    if (problem === null) {
      expect(verdict).toEqual({ allowed: true });
    } else {
      expect(verdict.allowed).toBe(false);
      expect(verdict).toMatchObject({ problem });
    }
  });

  it("writes refusals fit for a dashboard", () => {
    expect(checkAddress("10.0.0.5")).toMatchObject({ reason: "refused: 10.0.0.5 is a private address" });
    expect(checkAddress("127.0.0.1")).toMatchObject({ reason: "refused: 127.0.0.1 is a loopback address" });
    expect(checkAddress("[::1]")).toMatchObject({ reason: "refused: ::1 is a loopback address" });
  });
});

// URL forms: WHATWG URL normalizes decimal, octal, hex and short IPv4 forms before we judge them.
const urls: Array<[string, string]> = [
  ["http://127.0.0.1/", "refused: 127.0.0.1 is a loopback address"],
  ["http://2130706433/", "refused: 127.0.0.1 is a loopback address"],
  ["http://0x7f000001/", "refused: 127.0.0.1 is a loopback address"],
  ["http://0x7f.0.0.1/", "refused: 127.0.0.1 is a loopback address"],
  ["http://017700000001/", "refused: 127.0.0.1 is a loopback address"],
  ["http://0177.0.0.01/", "refused: 127.0.0.1 is a loopback address"],
  ["http://127.1/", "refused: 127.0.0.1 is a loopback address"],
  ["http://0/", "refused: 0.0.0.0 is an unspecified address"],
  ["http://10.0.0.1/", "refused: 10.0.0.1 is a private address"],
  ["http://012.0.0.1:8080/x", "refused: 10.0.0.1 is a private address"],
  ["http://169.254.169.254/latest/meta-data/", "refused: 169.254.169.254 is a link-local address"],
  ["http://0xa9fea9fe/", "refused: 169.254.169.254 is a link-local address"],
  ["http://[::1]/", "refused: ::1 is a loopback address"],
  ["http://[0:0:0:0:0:0:0:1]:3000/", "refused: ::1 is a loopback address"],
  ["http://[::ffff:127.0.0.1]/", "refused: ::ffff:7f00:1 is a loopback address (embedded IPv4 127.0.0.1)"],
  ["http://[::ffff:a9fe:a9fe]/", "refused: ::ffff:a9fe:a9fe is a link-local address (embedded IPv4 169.254.169.254)"],
  ["https://[fd00::1]/", "refused: fd00::1 is a private (unique-local) address"],
  ["http://user:pw@192.168.0.1/", "refused: 192.168.0.1 is a private address"],
  ["file:///etc/passwd", "refused: file:// URLs are not fetched (only http and https)"],
  ["ftp://example.org/x.jpg", "refused: ftp:// URLs are not fetched (only http and https)"],
  ["gopher://example.org/", "refused: gopher:// URLs are not fetched (only http and https)"],
  ["data:image/png;base64,AAAA", "refused: data:// URLs are not fetched (only http and https)"],
  ["not a url", 'refused: "not a url" is not a valid URL'],
];

describe("assertFetchableUrl", () => {
  it.each(urls)("%s", (url, message) => {
    expect(() => assertFetchableUrl(url, [])).toThrow(new BlockedUrlError(message));
  });

  it("lets public IP literals and host names through (host names are judged after DNS)", () => {
    expect(assertFetchableUrl("http://8.8.8.8/x", []).hostname).toBe("8.8.8.8");
    expect(assertFetchableUrl("https://[2606:4700:4700::1111]/", []).hostname).toBe("[2606:4700:4700::1111]");
    expect(assertFetchableUrl("https://example.org/a.jpg", []).hostname).toBe("example.org");
  });

  it("bypasses the address policy only for the allow-listed host and port", () => {
    expect(assertFetchableUrl("http://127.0.0.1:4000/x", ["127.0.0.1:4000"]).port).toBe("4000");
    expect(() => assertFetchableUrl("http://127.0.0.1:4001/x", ["127.0.0.1:4000"])).toThrow(BlockedUrlError);
    expect(() => assertFetchableUrl("http://127.0.0.1/x", ["127.0.0.1:4000"])).toThrow(BlockedUrlError);
    expect(assertFetchableUrl("http://127.0.0.1/x", ["127.0.0.1:80"]).hostname).toBe("127.0.0.1");
    expect(assertFetchableUrl("http://10.0.0.1:9/x", ["10.0.0.1"]).hostname).toBe("10.0.0.1");
    expect(() => assertFetchableUrl("ftp://10.0.0.1/x", ["10.0.0.1"])).toThrow(BlockedUrlError);
  });
});

describe("isAllowListed", () => {
  it("matches host, host:port and IPv6 entries", () => {
    expect(isAllowListed("minio.local", "9000", ["minio.local"])).toBe(true);
    expect(isAllowListed("minio.local", "9000", ["minio.local:9000"])).toBe(true);
    expect(isAllowListed("minio.local", "9001", ["minio.local:9000"])).toBe(false);
    expect(isAllowListed("MINIO.local", "9000", ["minio.local"])).toBe(true);
    expect(isAllowListed("::1", "8080", ["[::1]:8080"])).toBe(true);
    expect(isAllowListed("::1", "8081", ["[::1]:8080"])).toBe(false);
    expect(isAllowListed("::1", "8081", ["::1"])).toBe(true);
    expect(isAllowListed("::1", "8081", ["[::1]"])).toBe(true);
    expect(isAllowListed("evil.minio.local", "9000", ["minio.local"])).toBe(false);
  });
});
