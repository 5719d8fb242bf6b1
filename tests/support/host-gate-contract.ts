import { expect } from "vitest";

// What every shared per-host gate must do, whatever keeps its state (PostgreSQL, Redis):
// checked with two gates standing for two processes.

interface Gate {
  run<T>(task: () => Promise<T>): Promise<T>;
  pauseUntil(time: number): void | Promise<void>;
}

/** 12 transfers of 40 ms over two processes' gates for a host of 2 connections: never more than 2 at once, and 2 used. */
export async function expectLimitHeldAcross(gates: [Gate, Gate], connections: number) {
  let running = 0;
  let most = 0;
  const transfer = async () => {
    most = Math.max(most, ++running);
    await new Promise((resolve) => setTimeout(resolve, 40));
    running--;
  };
  await Promise.all(Array.from({ length: 12 }, (_, n) => gates[n % 2].run(transfer)));
  expect(most).toBe(connections);
}

/** A pause set through one process holds back the other's next transfer; a shorter pause does not shorten it. */
export async function expectPauseHeldAcross([first, second]: [Gate, Gate]) {
  const until = Date.now() + 400;
  await first.pauseUntil(until);
  await first.pauseUntil(until - 200);
  let startedAt = 0;
  await second.run(async () => void (startedAt = Date.now()));
  expect(startedAt).toBeGreaterThanOrEqual(until);
}
