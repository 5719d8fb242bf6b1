import { MediaRejectedError } from "@/lib/net/fetch-errors";
import { SNIFF_BYTES, sniffMedia, type ExpectedMedia, type SniffedMedia } from "@/lib/media/media-types";

// Holds a download's first bytes back until they are judged (media-types.ts), so nothing
// refused is ever written to disk. A resumed download is judged again on the bytes it
// already has on disk, which are never handed out a second time.

export class MediaGate {
  private head: Buffer = Buffer.alloc(0);
  private held: Buffer[] = [];
  private verdict: SniffedMedia | undefined;

  constructor(private readonly expected: ExpectedMedia) {}

  get media(): SniffedMedia | undefined {
    return this.verdict;
  }

  /** The file's first bytes (up to the sniff window), e.g. for reading an image's size. */
  get headBytes(): Buffer {
    return this.head;
  }

  /** The start of a file already on disk (a resumed part); judged now when long enough. */
  async seed(onDisk: Buffer): Promise<void> {
    this.head = Buffer.from(onDisk.subarray(0, SNIFF_BYTES));
    if (this.head.length >= SNIFF_BYTES) await this.judge();
  }

  /** Judges a whole file held in memory (nothing is held back: the caller has the bytes). */
  async judgeWhole(bytes: Buffer): Promise<void> {
    this.head = bytes.subarray(0, SNIFF_BYTES);
    await this.judge();
  }

  /** Takes the next chunk; returns the bytes that may now be written (empty while judging is pending). */
  async push(chunk: Buffer): Promise<Buffer> {
    if (this.verdict) return chunk;
    this.held.push(chunk);
    if (this.head.length < SNIFF_BYTES) this.head = Buffer.concat([this.head, chunk.subarray(0, SNIFF_BYTES - this.head.length)]);
    if (this.head.length < SNIFF_BYTES) return Buffer.alloc(0);
    await this.judge();
    return this.release();
  }

  /** The body ended: judges a file shorter than the sniff window and returns what is still held. */
  async finish(): Promise<Buffer> {
    if (!this.verdict) await this.judge();
    return this.release();
  }

  private async judge(): Promise<void> {
    const verdict = await sniffMedia(this.head, this.expected);
    if (!verdict.ok) throw new MediaRejectedError(verdict.reason);
    this.verdict = verdict.media;
  }

  private release(): Buffer {
    const bytes = Buffer.concat(this.held);
    this.held = [];
    return bytes;
  }
}
