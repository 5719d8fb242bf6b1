import type { Metadata } from "next";
import Link from "next/link";
import "./globals.css";
import { requestIdentity } from "@/lib/auth/page-user";
import { HealthBanner } from "./_components/health-banner";
import { signOutAction } from "./account/actions";

export const metadata: Metadata = {
  title: "Trawl",
  description: "Search media sources and download what you find, in durable background jobs.",
  icons: { icon: "/favicon.svg" },
};

const navLink = "text-sm font-medium text-slate-600 hover:text-slate-900";
const NAV = [
  ["/", "Dashboard"],
  ["/jobs", "Jobs"],
  ["/assets", "Assets"],
  ["/sources", "Sources"],
  ["/health", "Health"],
] as const;
const ADMIN_NAV = [["/users", "Users"]] as const;

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Reading the request's headers renders every page per request, so Next can put the
  // CSP nonce (proxy.ts) on its scripts.
  const who = await requestIdentity();
  const user = who.ok ? who.user : null;
  return (
    <html lang="en">
      <body>
        <header className="border-b border-slate-200 bg-white">
          <nav className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3" aria-label="Main">
            <Link href="/" className="text-lg font-bold tracking-tight text-indigo-700">
              Trawl
            </Link>
            {user ? (
              <>
                {[...NAV, ...(user.role === "admin" ? ADMIN_NAV : [])].map(([href, label]) => (
                  <Link key={href} href={href} className={navLink}>
                    {label}
                  </Link>
                ))}
                <span className="ml-auto flex items-center gap-4">
                  <Link href="/account" className={navLink} aria-label="Your account">
                    {user.username ?? user.name}
                  </Link>
                  <form action={signOutAction}>
                    <button type="submit" className={navLink}>
                      Sign out
                    </button>
                  </form>
                </span>
              </>
            ) : null}
          </nav>
        </header>
        {user ? <HealthBanner /> : null}
        <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
      </body>
    </html>
  );
}
