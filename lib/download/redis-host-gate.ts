import { Redis } from "ioredis";
import { Semaphore } from "redis-semaphore";
import { sleep } from "@/lib/concurrency";
import { errorMessage, log } from "@/lib/log";

// Per-host politeness shared through Redis (REDIS_URL) by every process and instance: a
// transfer holds one of the host's `connections` permits of a redis-semaphore Semaphore (kept
// alive while the transfer runs, so a process that dies frees its permits within
// PERMIT_TIMEOUT_MS), and a 429/503 pause is a key every process reads.

const PERMIT_TIMEOUT_MS = 30_000;
const NEVER_GIVE_UP_MS = 24 * 60 * 60_000;
const KEY_PREFIX = "trawl:host";

/** Sets the pause only when it ends later than the one already set (Retry-After from another process may be longer). */
const EXTEND_PAUSE = `local current = redis.call('GET', KEYS[1])
if (not current) or tonumber(current) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'PXAT', ARGV[1]) end
return 1`;

const connections = new Map<string, Redis>();

/** One connection per process and server; a failed command reaches its caller, connection trouble the log. */
export function redisClient(url: string) {
  let client = connections.get(url);
  if (!client) {
    client = new Redis(url, { maxRetriesPerRequest: 3 });
    client.on("error", (error) => log.warn("Redis connection problem", { error: errorMessage(error) }));
    connections.set(url, client);
  }
  return client;
}

export class RedisHostGate {
  constructor(
    private readonly redis: Redis,
    private readonly host: string,
    private readonly connections: number,
    private readonly namespace = KEY_PREFIX,
  ) {}

  private readonly pauseKey = () => `${this.namespace}:pause:${this.host}`;

  async pauseUntil(time: number) {
    await this.redis.eval(EXTEND_PAUSE, 1, this.pauseKey(), String(Math.ceil(time)));
  }

  private async waitWhilePaused() {
    for (;;) {
      const paused = Number((await this.redis.get(this.pauseKey())) ?? 0);
      if (paused <= Date.now()) return;
      await sleep(paused - Date.now());
    }
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    await this.waitWhilePaused();
    const permit = new Semaphore(this.redis, `${this.namespace}:slots:${this.host}`, this.connections, {
      lockTimeout: PERMIT_TIMEOUT_MS,
      refreshInterval: PERMIT_TIMEOUT_MS / 3,
      acquireTimeout: NEVER_GIVE_UP_MS,
      retryInterval: 25,
      onLockLost: (error) => log.warn("a host permit was lost while its transfer ran", { host: this.host, error: errorMessage(error) }),
    });
    await permit.acquire();
    try {
      // A pause set while this one waited for its permit holds it back too.
      await this.waitWhilePaused();
      return await task();
    } finally {
      await permit.release();
    }
  }
}
