import { headers } from "next/headers";
import { cache } from "react";
import { notFound, redirect } from "next/navigation";
import { db } from "@/lib/db";
import { needsSetup } from "./accounts";
import { identify, type RequestUser } from "./request-user";

/** Who this request is, looked up once per request however many components ask (the layout and the page both do). */
export const requestIdentity = cache(async () => identify(await headers()));

/** The user of a page or server action; without one, to the set-up page (no account yet) or the login page. */
export async function pageUser(): Promise<RequestUser> {
  const who = await requestIdentity();
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
