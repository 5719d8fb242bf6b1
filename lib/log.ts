import { config } from "@/lib/config";

// The server log: one JSON line per record, so failures are greppable next to their job id.
type Fields = Record<string, unknown>;
const rank = { info: 0, warn: 1, error: 2 } as const;

function write(level: "info" | "warn" | "error", message: string, fields?: Fields) {
  if (rank[level] < rank[config().logLevel]) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, message, ...fields });
  if (level === "info") process.stdout.write(line + "\n");
  else process.stderr.write(line + "\n");
}

export const log = {
  info: (message: string, fields?: Fields) => write("info", message, fields),
  warn: (message: string, fields?: Fields) => write("warn", message, fields),
  error: (message: string, fields?: Fields) => write("error", message, fields),
};

export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    // Prisma prefixes its reason with a multi-line "Invalid `x.y()` invocation" excerpt.
    const text = error.message.trim();
    if (text.startsWith("Invalid `"))
      return (
        text
          .split("\n")
          .filter((line) => line.trim())
          .at(-1)
          ?.trim() ?? text
      );
    return text || error.name;
  }
  return typeof error === "string" ? error : JSON.stringify(error);
}
