import { NextResponse } from "next/server";
import { z } from "zod";
import { db } from "@/lib/db";
import { withAdmin } from "@/lib/http/guard";
import { setSourceApiKey, setSourceEnabled } from "@/lib/sources/catalog-state";
import { getSource, isSourceId } from "@/lib/sources/registry";
import { invalidInput, jsonError, readJsonBody } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

const patch = z
  .object({
    enabled: z.boolean().optional(),
    /** A key-gated source's API key; null clears it. Never sent back. */
    apiKey: z.string().trim().min(1).max(512).nullable().optional(),
  })
  .strict()
  .refine((body) => body.enabled !== undefined || body.apiKey !== undefined, "Give enabled or apiKey");

/** The catalog is the administrators': switching a source off or setting its key. */
export const PATCH = withAdmin<{ params: Promise<{ id: string }> }>(async (request, _user, { params }) => {
  const { id } = await params;
  if (!isSourceId(id)) return jsonError(404, "Source not found");
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = patch.safeParse(body.body);
  if (!parsed.success) return invalidInput(parsed.error);
  if (parsed.data.apiKey !== undefined && !getSource(id).key)
    return jsonError(400, "This source needs no API key", { apiKey: ["This source needs no API key"] });
  if (parsed.data.enabled !== undefined) await setSourceEnabled(db(), id, parsed.data.enabled);
  if (parsed.data.apiKey !== undefined) await setSourceApiKey(db(), id, parsed.data.apiKey);
  return NextResponse.json({
    id,
    ...(parsed.data.enabled !== undefined ? { enabled: parsed.data.enabled } : {}),
    ...(parsed.data.apiKey !== undefined ? { apiKeySet: parsed.data.apiKey !== null } : {}),
  });
});
