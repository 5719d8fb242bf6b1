import { redirect } from "next/navigation";
import { db } from "@/lib/db";
import { needsSetup } from "@/lib/auth/accounts";
import { SetupForm } from "./setup-form";

export const dynamic = "force-dynamic";

export default async function SetupPage() {
  if (!(await needsSetup(db()))) redirect("/login");
  return (
    <div className="mx-auto max-w-md space-y-4">
      <h1 className="text-2xl font-bold tracking-tight">Set up Trawl</h1>
      <p className="text-sm text-slate-600">
        No account exists yet. Create the first administrator: they manage users, the source catalog and its API keys. Jobs and files
        already in this library become theirs.
      </p>
      <SetupForm />
    </div>
  );
}
