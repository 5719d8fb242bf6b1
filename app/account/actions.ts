"use server";

import { headers } from "next/headers";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { redirect } from "next/navigation";
import { APIError } from "better-auth/api";
import { db } from "@/lib/db";
import { auth } from "@/lib/auth/server";
import { password } from "@/lib/auth/accounts";
import { apiKeyName, createApiKey, revokeApiKey } from "@/lib/auth/api-keys";
import { pageUser } from "@/lib/auth/page-user";

export type FormState = { status: "idle" } | { status: "error"; message: string } | { status: "done"; message: string; secret?: string };

export async function signOutAction() {
  await (await auth()).api.signOut({ headers: await headers() });
  redirect("/login");
}

export async function changePasswordAction(_previous: FormState, form: FormData): Promise<FormState> {
  await pageUser();
  const next = password.safeParse(form.get("newPassword"));
  if (!next.success) return { status: "error", message: `New password: ${next.error.issues[0].message}` };
  if (form.get("newPassword") !== form.get("confirmPassword")) return { status: "error", message: "The new passwords differ" };
  try {
    await (
      await auth()
    ).api.changePassword({
      headers: await headers(),
      body: { currentPassword: String(form.get("currentPassword") ?? ""), newPassword: next.data, revokeOtherSessions: true },
    });
  } catch (error) {
    if (error instanceof APIError && error.statusCode < 500) return { status: "error", message: error.message };
    throw error;
  }
  return { status: "done", message: "Password changed; your other sessions were signed out" };
}

export async function createApiKeyAction(_previous: FormState, form: FormData): Promise<FormState> {
  const user = await pageUser();
  const name = apiKeyName.safeParse(form.get("name"));
  if (!name.success) return { status: "error", message: name.error.issues[0].message };
  const created = await createApiKey(user.id, name.data);
  revalidatePath("/account");
  return { status: "done", message: `Key "${created.name}" created. Copy it now: it is not shown again.`, secret: created.key };
}

export async function revokeApiKeyAction(keyId: string) {
  const user = await pageUser();
  if (!z.string().min(1).max(64).safeParse(keyId).success) return { ok: false as const, message: "Not a key id" };
  const revoked = await revokeApiKey(db(), user.id, keyId);
  revalidatePath("/account");
  return revoked ? { ok: true as const } : { ok: false as const, message: "Key not found" };
}
