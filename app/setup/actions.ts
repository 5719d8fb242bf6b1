"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { db } from "@/lib/db";
import { AccountError, createFirstAdmin, newUserInput } from "@/lib/auth/accounts";
import { auth } from "@/lib/auth/server";
import { fieldErrors } from "@/lib/jobs/input";

/** A refused form comes back with what was typed (never the passwords), since React resets the form after an action. */
export type SetupState =
  { status: "idle" } | { status: "invalid"; fields: Record<string, string[]>; message?: string; values: Record<string, string> };

const setupInput = newUserInput
  .omit({ role: true })
  .extend({ confirmPassword: z.string() })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The passwords differ",
  });

/** Creates the first administrator (only while no account exists) and signs them in. */
export async function setupAction(_previous: SetupState, form: FormData): Promise<SetupState> {
  const parsed = setupInput.safeParse(
    Object.fromEntries(["username", "name", "email", "password", "confirmPassword"].map((k) => [k, form.get(k) ?? undefined])),
  );
  const values = Object.fromEntries(["username", "name", "email"].map((k) => [k, String(form.get(k) ?? "")]));
  if (!parsed.success) return { status: "invalid", fields: fieldErrors(parsed.error), values };
  try {
    await createFirstAdmin(db(), parsed.data);
  } catch (error) {
    if (error instanceof AccountError) return { status: "invalid", fields: {}, message: error.message, values };
    throw error;
  }
  await (
    await auth()
  ).api.signInUsername({ headers: await headers(), body: { username: parsed.data.username, password: parsed.data.password } });
  redirect("/");
}
