import { spawn } from "node:child_process";
import readline from "node:readline";

// Another process with its own connection to a SQLite file, as Trawl's job worker is to the
// web process's: it runs the statements it is sent, or keeps writing until stopped.

const SCRIPT = `
  const Database = require("better-sqlite3");
  const connection = new Database(process.argv[1], { timeout: 10000 });
  let writing = null;
  require("node:readline").createInterface({ input: process.stdin }).on("line", (line) => {
    const { id, sql, params, repeat } = JSON.parse(line);
    if (repeat) {
      const statement = connection.prepare(sql);
      const again = () => { statement.run(Date.now()); writing = setTimeout(again, 1); };
      again();
    } else {
      connection.prepare(sql).run(...params);
    }
    console.log(JSON.stringify({ id }));
  });
  console.log(JSON.stringify({ id: 0 }));`;

export interface OtherSqliteProcess {
  /** Runs one statement there; resolves once it is written. */
  run(sql: string, ...params: unknown[]): Promise<void>;
  /** Runs the statement (with the time as its one parameter) every millisecond or so until stop(). */
  keepWriting(sql: string): Promise<void>;
  /** Ends it; throws if it had died on its own (a statement that failed, e.g. while writing on and on). */
  stop(): void;
}

export async function startOtherSqliteProcess(file: string): Promise<OtherSqliteProcess> {
  const child = spawn(process.execPath, ["-e", SCRIPT, file], { stdio: ["pipe", "pipe", "pipe"] });
  let errors = "";
  child.stderr.on("data", (chunk) => (errors += chunk));
  const pending = new Map<number, () => void>();
  let exited = false;
  child.once("exit", (code) => {
    exited = true;
    for (const fail of pending.values()) fail();
    if (code) errors += `\n(exited with ${code})`;
  });
  readline.createInterface({ input: child.stdout }).on("line", (line) => {
    const { id } = JSON.parse(line) as { id: number };
    pending.get(id)?.();
    pending.delete(id);
  });
  let next = 0;
  const send = (message: Record<string, unknown>) =>
    new Promise<void>((resolve, reject) => {
      const id = next++;
      pending.set(id, () => (exited ? reject(new Error(`the other SQLite process ended: ${errors}`)) : resolve()));
      if (id > 0) child.stdin.write(`${JSON.stringify({ id, ...message })}\n`);
    });
  await send({});
  return {
    run: (sql, ...params) => send({ sql, params }),
    keepWriting: (sql) => send({ sql, repeat: true }),
    stop: () => {
      if (exited) throw new Error(`the other SQLite process ended before it was stopped: ${errors}`);
      child.kill();
    },
  };
}
