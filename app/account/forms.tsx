"use client";

import { useActionState, useState, useTransition } from "react";
import { changePasswordAction, createApiKeyAction, revokeApiKeyAction, type FormState } from "./actions";

const field = "mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm";
const button = "rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-semibold text-white disabled:opacity-50";
const idle: FormState = { status: "idle" };

export function Outcome({ state }: { state: FormState }) {
  if (state.status === "idle") return null;
  return (
    <p role="status" className={`text-sm ${state.status === "error" ? "text-red-700" : "text-emerald-800"}`}>
      {state.message}
    </p>
  );
}

export function ChangePasswordForm() {
  const [state, action, pending] = useActionState(changePasswordAction, idle);
  return (
    <form action={action} aria-label="Change password" className="mt-2 grid gap-3 sm:grid-cols-3">
      <label className="text-sm font-medium">
        Current password
        <input name="currentPassword" type="password" autoComplete="current-password" required className={field} />
      </label>
      <label className="text-sm font-medium">
        New password
        <input name="newPassword" type="password" autoComplete="new-password" required minLength={8} className={field} />
      </label>
      <label className="text-sm font-medium">
        New password again
        <input name="confirmPassword" type="password" autoComplete="new-password" required className={field} />
      </label>
      <div className="flex items-center gap-3 sm:col-span-3">
        <button type="submit" disabled={pending} className={button}>
          Change password
        </button>
        <Outcome state={state} />
      </div>
    </form>
  );
}

export function ApiKeyForm() {
  const [state, action, pending] = useActionState(createApiKeyAction, idle);
  return (
    <form action={action} aria-label="New API key" className="space-y-2">
      <div className="flex items-end gap-2">
        <label className="text-sm font-medium">
          Name
          <input name="name" required maxLength={64} placeholder="e.g. backup script" className={field} />
        </label>
        <button type="submit" disabled={pending} className={button}>
          Create key
        </button>
      </div>
      <Outcome state={state} />
      {state.status === "done" && state.secret ? (
        <output aria-label="New API key" className="block break-all rounded bg-slate-100 p-2 font-mono text-xs">
          {state.secret}
        </output>
      ) : null}
    </form>
  );
}

export function RevokeKeyButton({ keyId, name }: { keyId: string; name: string }) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      {message ? <span className="text-xs text-red-700">{message}</span> : null}
      <button
        type="button"
        disabled={pending}
        aria-label={`Revoke ${name}`}
        className="rounded-md border border-red-300 px-2 py-1 text-xs text-red-700 disabled:opacity-50"
        onClick={() =>
          start(async () => {
            const result = await revokeApiKeyAction(keyId);
            setMessage(result.ok ? null : result.message);
          })
        }
      >
        Revoke
      </button>
    </span>
  );
}
