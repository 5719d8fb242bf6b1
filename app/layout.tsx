import type { Metadata } from "next";
import Link from "next/link";
import "./globals.css";
import { HealthBanner } from "./_components/health-banner";

export const metadata: Metadata = {
  title: "Trawl",
  description: "Search media sources and download what you find, in durable background jobs.",
  icons: { icon: "/favicon.svg" },
};

export default function RootLayout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="border-b border-slate-200 bg-white">
          <nav className="mx-auto flex max-w-7xl items-center gap-6 px-4 py-3" aria-label="Main">
            <Link href="/" className="text-lg font-bold tracking-tight text-indigo-700">
              Trawl
            </Link>
            <Link href="/" className="text-sm font-medium text-slate-600 hover:text-slate-900">
              Dashboard
            </Link>
            <Link href="/jobs" className="text-sm font-medium text-slate-600 hover:text-slate-900">
              Jobs
            </Link>
            <Link href="/assets" className="text-sm font-medium text-slate-600 hover:text-slate-900">
              Assets
            </Link>
            <Link href="/sources" className="text-sm font-medium text-slate-600 hover:text-slate-900">
              Sources
            </Link>
            <Link href="/health" className="text-sm font-medium text-slate-600 hover:text-slate-900">
              Health
            </Link>
          </nav>
        </header>
        <HealthBanner />
        <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
      </body>
    </html>
  );
}
