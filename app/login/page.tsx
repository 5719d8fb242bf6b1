import { redirect } from "next/navigation";
import { db } from "@/lib/db";
import { needsSetup } from "@/lib/auth/accounts";
import { requestIdentity } from "@/lib/auth/page-user";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

export default async function LoginPage() {
  if (await needsSetup(db())) redirect("/setup");
  if ((await requestIdentity()).ok) redirect("/");
  return (
    <div className="mx-auto max-w-sm space-y-4">
      <h1 className="text-2xl font-bold tracking-tight">Sign in to Trawl</h1>
      <LoginForm />
      <p className="text-xs text-slate-500">
        Forgot your password? An administrator can reset it on the Users page, or from a shell with npm run user.
      </p>
    </div>
  );
}
