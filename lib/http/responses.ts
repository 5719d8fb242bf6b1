import { NextResponse } from "next/server";
import type { z } from "zod";
import { fieldErrors } from "@/lib/jobs/input";

// The one error shape of the HTTP API: { error: { message, fields? } }.
export function jsonError(status: number, message: string, fields?: Record<string, string[]>) {
  return NextResponse.json({ error: { message, ...(fields ? { fields } : {}) } }, { status });
}

export function invalidInput(error: z.ZodError) {
  return jsonError(400, "Invalid input", fieldErrors(error));
}

export async function readJsonBody(request: Request): Promise<{ ok: true; body: unknown } | { ok: false; response: NextResponse }> {
  const text = await request.text();
  try {
    return { ok: true, body: text.length ? JSON.parse(text) : {} };
  } catch (error) {
    return { ok: false, response: jsonError(400, `Body is not valid JSON: ${(error as Error).message}`) };
  }
}

/** RFC 6266 attachment header with an ASCII fallback and the UTF-8 name. */
export function contentDisposition(kind: "inline" | "attachment", filename: string) {
  const ascii = filename
    .normalize("NFKD")
    .replace(/[^\x20-\x7e]/g, "_")
    .replace(/["\\]/g, "_");
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
