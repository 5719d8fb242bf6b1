"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { db } from "@/lib/db";
import { storage } from "@/lib/storage";
import { AccountError, createUser, deleteUser, newUserInput, password, resetPassword, setUserDisabled } from "@/lib/auth/accounts";
import { adminPageUser } from "@/lib/auth/page-user";
import { fieldErrors } from "@/lib/jobs/input";

/** A refused form comes back with what was typed (never the password), since React resets the form after an action. */
export type UserFormState =
  | { status: "idle" }
  | { status: "invalid"; fields: Record<string, string[]>; message?: string; values: Record<string, string> }
  | { status: "done"; message: string };
type Outcome = { ok: true; message?: string } | { ok: false; message: string };

const userIdArg = z.string().min(1).max(64);
const badUserId = { ok: false as const, message: "Not a user id" };

/** Runs an administrator's change; a refusal (self, taken name, active jobs) becomes a message. */
async function adminChange(change: () => Promise<string | undefined>): Promise<Outcome> {
  try {
    const message = await change();
    revalidatePath("/users");
    return { ok: true, message };
  } catch (error) {
    if (error instanceof AccountError) return { ok: false, message: error.message };
    throw error;
  }
}

export async function createUserAction(_previous: UserFormState, form: FormData): Promise<UserFormState> {
  await adminPageUser();
  const parsed = newUserInput.safeParse(
    Object.fromEntries(["username", "name", "email", "password", "role"].map((k) => [k, form.get(k) ?? undefined])),
  );
  const values = Object.fromEntries(["username", "name", "email", "role"].map((k) => [k, String(form.get(k) ?? "")]));
  if (!parsed.success) return { status: "invalid", fields: fieldErrors(parsed.error), values };
  const outcome = await adminChange(async () => {
    await createUser(db(), parsed.data);
    return undefined;
  });
  return outcome.ok
    ? { status: "done", message: `User ${parsed.data.username} created` }
    : { status: "invalid", fields: {}, message: outcome.message, values };
}

export async function setUserDisabledAction(userId: string, disabled: boolean) {
  const admin = await adminPageUser();
  if (!userIdArg.safeParse(userId).success || typeof disabled !== "boolean") return badUserId;
  return adminChange(async () => {
    await setUserDisabled(db(), admin.id, userId, disabled);
    return disabled ? "Disabled; their sessions and keys no longer work" : "Enabled";
  });
}

export async function resetPasswordAction(userId: string, newPassword: string) {
  await adminPageUser();
  if (!userIdArg.safeParse(userId).success) return badUserId;
  const parsed = password.safeParse(newPassword);
  if (!parsed.success) return { ok: false as const, message: parsed.error.issues[0].message };
  return adminChange(async () => {
    await resetPassword(db(), userId, parsed.data);
    return "Password reset; their sessions were signed out";
  });
}

export async function deleteUserAction(userId: string) {
  const admin = await adminPageUser();
  if (!userIdArg.safeParse(userId).success) return badUserId;
  return adminChange(async () => {
    const { assets } = await deleteUser(db(), storage(), admin.id, userId);
    return `Deleted with ${assets} asset(s)`;
  });
}
