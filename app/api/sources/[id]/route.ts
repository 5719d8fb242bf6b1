import { NextResponse } from "next/server";
import { z } from "zod";
import { db } from "@/lib/db";
import { setSourceEnabled } from "@/lib/sources/health";
import { isSourceId } from "@/lib/sources/registry";
import { invalidInput, jsonError, readJsonBody } from "@/lib/http/responses";

export const dynamic = "force-dynamic";

const patch = z.object({ enabled: z.boolean() }).strict();

export async function PATCH(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  if (!isSourceId(id)) return jsonError(404, "Source not found");
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  const parsed = patch.safeParse(body.body);
  if (!parsed.success) return invalidInput(parsed.error);
  await setSourceEnabled(db(), id, parsed.data.enabled);
  return NextResponse.json({ id, enabled: parsed.data.enabled });
}
