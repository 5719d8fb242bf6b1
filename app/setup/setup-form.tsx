"use client";

import { useActionState } from "react";
import { FormProblem, SubmitButton } from "@/app/_components/form-parts";
import { setupAction, type SetupState } from "./actions";

const field = "mt-1 w-full rounded-md border border-slate-300 px-3 py-2";

function Field({
  name,
  label,
  type = "text",
  state,
  autoComplete,
  required = true,
}: {
  name: string;
  label: string;
  type?: string;
  state: SetupState;
  autoComplete?: string;
  required?: boolean;
}) {
  const errors = state.status === "invalid" ? state.fields[name] : undefined;
  const typed = state.status === "invalid" ? state.values[name] : undefined;
  return (
    <label className="block text-sm font-medium">
      {label}
      <input
        key={typed}
        name={name}
        type={type}
        required={required}
        autoComplete={autoComplete}
        defaultValue={typed}
        className={field}
        aria-invalid={errors ? true : undefined}
      />
      {errors ? <span className="mt-1 block text-xs text-red-700">{errors.join(" ")}</span> : null}
    </label>
  );
}

export function SetupForm() {
  const [state, action, pending] = useActionState(setupAction, { status: "idle" } as SetupState);
  return (
    <form
      action={action}
      aria-label="Create the administrator"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
    >
      <Field name="username" label="Username" state={state} autoComplete="username" />
      <Field name="name" label="Display name (optional)" state={state} required={false} />
      <Field name="email" label="E-mail (optional)" type="email" state={state} required={false} />
      <Field name="password" label="Password (8 characters or more)" type="password" state={state} autoComplete="new-password" />
      <Field name="confirmPassword" label="Password again" type="password" state={state} autoComplete="new-password" />
      <FormProblem label="Set-up problem" message={state.status === "invalid" ? state.message : null} />
      <SubmitButton pending={pending} label="Create administrator" pendingLabel="Creating…" />
    </form>
  );
}
