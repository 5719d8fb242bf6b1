"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { FormProblem, SubmitButton } from "@/app/_components/form-parts";

const field = "mt-1 w-full rounded-md border border-slate-300 px-3 py-2";

/** Posts to better-auth's sign-in endpoint (username or e-mail), which sets the session cookie. */
async function signIn(identifier: string, password: string) {
  const byEmail = identifier.includes("@");
  const response = await fetch(byEmail ? "/api/auth/sign-in/email" : "/api/auth/sign-in/username", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(byEmail ? { email: identifier, password } : { username: identifier, password }),
  });
  if (response.ok) return null;
  if (response.status === 429) {
    const wait = response.headers.get("x-retry-after");
    return `Too many sign-in attempts from this address. Try again in ${wait ?? "a few"} seconds.`;
  }
  // better-auth answers JSON; anything else (a proxy's error page) is shown by its status.
  const isJson = response.headers.get("content-type")?.includes("application/json");
  const body = isJson ? ((await response.json()) as { message?: string; code?: string }) : null;
  if (body?.code === "BANNED_USER") return "This account is disabled. Ask an administrator.";
  if (response.status === 401 || body?.code === "INVALID_USERNAME_OR_PASSWORD" || body?.code === "INVALID_EMAIL_OR_PASSWORD")
    return "Wrong username, e-mail or password.";
  return body?.message ?? `Sign-in failed (HTTP ${response.status})`;
}

export function LoginForm() {
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const router = useRouter();
  return (
    <form
      aria-label="Sign in"
      className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm"
      onSubmit={async (event) => {
        event.preventDefault();
        const form = new FormData(event.currentTarget);
        setPending(true);
        setError(null);
        try {
          const problem = await signIn(String(form.get("identifier") ?? "").trim(), String(form.get("password") ?? ""));
          if (problem) setError(problem);
          else {
            router.replace("/");
            router.refresh();
          }
        } catch (failure) {
          setError(`Sign-in failed: ${(failure as Error).message}`);
        } finally {
          setPending(false);
        }
      }}
    >
      <label className="block text-sm font-medium">
        Username or e-mail
        <input name="identifier" autoComplete="username" required className={field} />
      </label>
      <label className="block text-sm font-medium">
        Password
        <input name="password" type="password" autoComplete="current-password" required className={field} />
      </label>
      <FormProblem label="Sign-in problem" message={error} />
      <SubmitButton pending={pending} label="Sign in" pendingLabel="Signing in…" />
    </form>
  );
}
