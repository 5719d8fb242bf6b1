"use client";

import { useActionState, useState, useTransition } from "react";
import { createUserAction, deleteUserAction, resetPasswordAction, setUserDisabledAction, type UserFormState } from "./actions";

const field = "mt-1 w-full rounded-md border border-slate-300 px-3 py-2 text-sm";
const small = "rounded-md border border-slate-300 px-2 py-1 text-xs disabled:opacity-50";

export function CreateUserForm() {
  const [state, action, pending] = useActionState(createUserAction, { status: "idle" } as UserFormState);
  const errors = (name: string) => (state.status === "invalid" ? state.fields[name]?.join(" ") : undefined);
  const typed = (name: string) => (state.status === "invalid" ? state.values[name] : undefined);
  const input = (name: string, label: string, type = "text", required = true) => (
    <label className="text-sm font-medium">
      {label}
      <input
        key={typed(name)}
        name={name}
        type={type}
        required={required}
        defaultValue={type === "password" ? undefined : typed(name)}
        className={field}
      />
      {errors(name) ? <span className="mt-1 block text-xs text-red-700">{errors(name)}</span> : null}
    </label>
  );
  return (
    <form action={action} aria-label="New user" className="mt-2 grid gap-3 sm:grid-cols-2">
      {input("username", "Username")}
      {input("name", "Display name (optional)", "text", false)}
      {input("email", "E-mail (optional)", "email", false)}
      {input("password", "Password (8 characters or more)", "password")}
      <label className="text-sm font-medium">
        Role
        <select key={typed("role")} name="role" defaultValue={typed("role") ?? "user"} className={field}>
          <option value="user">user</option>
          <option value="admin">administrator</option>
        </select>
      </label>
      <div className="flex items-end gap-3">
        <button
          type="submit"
          disabled={pending}
          className="rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white disabled:opacity-50"
        >
          Create user
        </button>
        {state.status === "done" ? (
          <p role="status" className="text-sm text-emerald-800">
            {state.message}
          </p>
        ) : null}
        {state.status === "invalid" && state.message ? (
          <p role="status" className="text-sm text-red-700">
            {state.message}
          </p>
        ) : null}
      </div>
    </form>
  );
}

export function UserActions({ userId, name, disabled }: { userId: string; name: string; disabled: boolean }) {
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<string | null>(null);
  const run = (change: () => Promise<{ ok: boolean; message?: string }>) =>
    start(async () => {
      const outcome = await change();
      setMessage(outcome.message ?? null);
    });
  return (
    <span className="inline-flex flex-wrap items-center justify-end gap-1.5">
      {message ? (
        <span role="status" className="text-xs text-slate-700">
          {message}
        </span>
      ) : null}
      <button
        type="button"
        disabled={pending}
        className={small}
        aria-label={`${disabled ? "Enable" : "Disable"} ${name}`}
        onClick={() => run(() => setUserDisabledAction(userId, !disabled))}
      >
        {disabled ? "Enable" : "Disable"}
      </button>
      <button
        type="button"
        disabled={pending}
        className={small}
        aria-label={`Reset the password of ${name}`}
        onClick={() => {
          const next = window.prompt(`New password for ${name} (8 characters or more)`);
          if (next) run(() => resetPasswordAction(userId, next));
        }}
      >
        Reset password
      </button>
      <button
        type="button"
        disabled={pending}
        className={`${small} border-red-300 text-red-700`}
        aria-label={`Delete ${name}`}
        onClick={() => {
          if (window.confirm(`Delete ${name} with all their jobs and files?`)) run(() => deleteUserAction(userId));
        }}
      >
        Delete
      </button>
    </span>
  );
}
