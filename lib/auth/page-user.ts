import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { db } from "@/lib/db";
import { needsSetup } from "./accounts";
import { identify, type RequestUser } from "./request-user";

/** The user of a page or server action; without one, to the set-up page (no account yet) or the login page. */
export async function pageUser(): Promise<RequestUser> {
  const who = await identify(await headers());
  if (who.ok) return who.user;
  if (await needsSetup(db())) redirect("/setup");
  redirect("/login");
}

/** Administrators' pages: anyone else sees "not found", as for a page that does not exist. */
export async function adminPageUser(): Promise<RequestUser> {
  const user = await pageUser();
  if (user.role !== "admin") notFound();
  return user;
}
