import { formatBytes } from "@/lib/byte-size";
import { randomUUID } from "node:crypto";
import type { Db, DbClient } from "@/lib/db";
import { insertRows, updateRowsById, type SqlValue } from "@/lib/db/bulk";
import type { Item, Job } from "@/lib/db/generated/client";
import type { StoredFile } from "@/lib/download/fetch-to-store";
import { errorMessage, log } from "@/lib/log";
import type { EventLevel } from "./events";
import { ACTIVE_JOB_STATUSES, isActiveJobStatus } from "./status";

// Download outcomes of one batch, written to the database together: every flush is one
// transaction holding the new assets, the items' final states and their event lines, so
// a thousand small files cost a few dozen transactions instead of thousands of writes.
// Nothing is reported before it is committed: the dashboard reads only the database, and
// the batch's step returns only after close() has written everything (or throws).

export interface PendingEvent {
  level: EventLevel;
  message: string;
}

export type ItemOutcome =
  | { kind: "stored"; item: Item; file: StoredFile; name: string; attempts: number; events: PendingEvent[] }
  | { kind: "failed"; item: Item; reason: string; name: string; attempts: number; events: PendingEvent[] };

export interface OutcomeWriterOptions {
  /** How long an outcome may wait for company before it is written. */
  flushAfterMs?: number;
  /** Write at once when this many outcomes are waiting. */
  maxPending?: number;
  /** How old the job's status may be when a worker asks whether to start another item. */
  statusMaxAgeMs?: number;
  /** Runs after every successful flush (e.g. throttled counter refreshes). */
  afterFlush?: () => Promise<unknown> | void;
}

type EventRow = { jobId: string; level: EventLevel; message: string; sourceId: string };

export class OutcomeWriter {
  private pending: ItemOutcome[] = [];
  private currentItem: string | null = null;
  private currentItemWritten: string | null = null;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private failure: unknown;
  private status: { active: boolean; readAt: number };
  private readonly flushAfterMs: number;
  private readonly maxPending: number;
  private readonly statusMaxAgeMs: number;

  constructor(
    private readonly client: Db,
    private readonly job: Job,
    private readonly options: OutcomeWriterOptions = {},
  ) {
    this.flushAfterMs = options.flushAfterMs ?? 200;
    this.maxPending = options.maxPending ?? 100;
    this.statusMaxAgeMs = options.statusMaxAgeMs ?? 250;
    this.status = { active: isActiveJobStatus(job.status), readAt: Date.now() };
  }

  /** The first failed write; once set, workers should stop and the batch's step fails. */
  get failed(): boolean {
    return this.failure !== undefined;
  }

  /** Whether the job is still running (read from the database at most every statusMaxAgeMs). */
  async jobIsActive(): Promise<boolean> {
    if (Date.now() - this.status.readAt > this.statusMaxAgeMs) {
      const row = await this.client.job.findUniqueOrThrow({ where: { id: this.job.id }, select: { status: true } });
      this.status = { active: isActiveJobStatus(row.status), readAt: Date.now() };
    }
    return this.status.active;
  }

  /** Names the file being fetched now (shown as the job's current file at the next write). */
  startingItem(name: string): void {
    this.currentItem = name;
    this.schedule();
  }

  add(outcome: ItemOutcome): void {
    this.pending.push(outcome);
    if (this.pending.length >= this.maxPending) this.flushSoon(0);
    else this.schedule();
  }

  /** Writes everything added so far; throws the first write failure of this writer. */
  async close(): Promise<void> {
    this.flushSoon(0);
    await this.writing;
    if (this.failure !== undefined) throw this.failure;
  }

  private schedule() {
    if (!this.timer) this.flushSoon(this.flushAfterMs);
  }

  private flushSoon(delayMs: number) {
    clearTimeout(this.timer);
    this.timer = undefined;
    // Writes run one after another, in the order outcomes were added.
    const run = () => {
      this.timer = undefined;
      this.writing = this.writing.then(() => this.flush());
    };
    if (delayMs === 0) run();
    else this.timer = setTimeout(run, delayMs);
  }

  private async flush(): Promise<void> {
    if (this.failure !== undefined) return;
    const outcomes = this.pending;
    this.pending = [];
    const currentItem = this.currentItem;
    if (outcomes.length === 0 && currentItem === this.currentItemWritten) return;
    let events: EventRow[];
    try {
      events = await this.client.$transaction((tx) => this.write(tx, outcomes, currentItem));
    } catch (error) {
      return this.fail(error, `Could not record ${outcomes.length} download outcome(s)`);
    }
    this.currentItemWritten = currentItem;
    for (const event of events) log[event.level](event.message, { jobId: event.jobId, sourceId: event.sourceId });
    try {
      await this.options.afterFlush?.();
    } catch (error) {
      this.fail(error, `Recorded ${outcomes.length} download outcome(s), then could not refresh the job's progress`);
    }
  }

  /** Keeps the first failure for close() to throw; every one is logged. */
  private fail(error: unknown, what: string) {
    this.failure ??= error;
    log.error(`${what}: ${errorMessage(error)}`, { jobId: this.job.id });
  }

  private async write(tx: DbClient, outcomes: ItemOutcome[], currentItem: string | null): Promise<EventRow[]> {
    // A job cancelled meanwhile keeps its cleared current file; the outcomes are still recorded.
    const running = await tx.job.updateMany({
      where: { id: this.job.id, status: { in: ACTIVE_JOB_STATUSES } },
      data: { currentItem, heartbeatAt: new Date() },
    });
    this.status = { active: running.count > 0, readAt: Date.now() };

    const stored = outcomes.filter((o) => o.kind === "stored");
    const assetIds = await this.assetIdsFor(tx, stored);
    const events: EventRow[] = [];
    const event = (outcome: ItemOutcome, level: EventLevel, message: string) =>
      events.push({ jobId: this.job.id, level, message, sourceId: outcome.item.sourceId });

    const updates: Array<{ id: string; values: Record<string, SqlValue> }> = [];
    for (const outcome of outcomes) {
      for (const extra of outcome.events) event(outcome, extra.level, extra.message);
      if (outcome.kind === "failed") {
        updates.push({ id: outcome.item.id, values: { status: "failed", reason: outcome.reason, attempts: outcome.attempts } });
        event(outcome, "warn", `Failed ${outcome.name}: ${outcome.reason}`);
        continue;
      }
      const { file, item, name } = outcome;
      const asset = assetIds.get(file.sha256);
      if (!asset) throw new Error(`internal: no asset row for ${file.sha256}`);
      const createdHere = asset.createdFor === item.id;
      const common = { assetId: asset.id, mediaType: file.mediaType, attempts: outcome.attempts };
      updates.push({
        id: item.id,
        values: createdHere
          ? { status: "downloaded", reason: null, bytes: BigInt(file.bytes), ...common }
          : { status: "skipped", reason: "Already in Assets (identical file)", ...common },
      });
      event(outcome, "info", createdHere ? `Downloaded ${name} (${formatBytes(file.bytes)})` : `Skipped ${name}: already in Assets`);
    }
    await updateRowsById(tx, "Item", updates, { set: { updatedAt: new Date() }, integers: ["bytes", "attempts"] });
    // Raw like the rows above: Prisma's createMany cost 18 ms for 64 events, this 1 ms.
    const at = new Date();
    if (events.length > 0)
      await insertRows(
        tx,
        "JobEvent",
        events.map((event) => ({ ...event, createdAt: at })),
      );
    return events;
  }

  /**
   * The asset for every stored file, by sha256: the user's existing asset, or one created
   * now for the first item that brought those bytes (`createdFor`); later items are skips.
   */
  private async assetIdsFor(tx: DbClient, stored: Extract<ItemOutcome, { kind: "stored" }>[]) {
    const ids = new Map<string, { id: string; createdFor: string | null }>();
    if (stored.length === 0) return ids;
    const userId = this.job.userId;
    const existing = await tx.asset.findMany({
      where: { userId, sha256: { in: [...new Set(stored.map((o) => o.file.sha256))] } },
      select: { id: true, sha256: true },
    });
    for (const row of existing) ids.set(row.sha256, { id: row.id, createdFor: null });
    const firstOfEach = new Map<string, Extract<ItemOutcome, { kind: "stored" }>>();
    for (const outcome of stored)
      if (!ids.has(outcome.file.sha256) && !firstOfEach.has(outcome.file.sha256)) firstOfEach.set(outcome.file.sha256, outcome);
    if (firstOfEach.size === 0) return ids;
    const createdAt = new Date();
    const rows = [...firstOfEach.values()].map(({ file, item }) => {
      const id = randomUUID();
      ids.set(file.sha256, { id, createdFor: item.id });
      return {
        id,
        userId,
        sha256: file.sha256,
        mime: file.mime,
        ext: file.ext,
        mediaType: file.mediaType,
        bytes: BigInt(file.bytes),
        width: file.width,
        height: file.height,
        durationMs: null,
        perceptualHash: file.perceptualHash,
        // Images hashed during the download are done already; the others wait for the analysis.
        analysedAt: file.perceptualHash ? createdAt : null,
        storageKey: file.storageKey,
        thumbKey: file.thumbKey,
        originalName: file.originalName,
        sourceId: item.sourceId,
        jobId: this.job.id,
        pageUrl: item.pageUrl,
        mediaUrl: item.mediaUrl,
        title: item.title,
        author: item.author,
        license: item.license,
        licenseUrl: item.licenseUrl,
        createdAt,
      };
    });
    await insertRows(tx, "Asset", rows);
    return ids;
  }
}
