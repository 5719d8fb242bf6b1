import Link from "next/link";

/** Unknown pages, and other users' jobs and files (which are "not found" on purpose). */
export default function NotFound() {
  return (
    <div className="max-w-xl space-y-2">
      <h1 className="text-2xl font-bold tracking-tight">Not found</h1>
      <p className="text-sm text-slate-600">There is no such page, job or file here.</p>
      <Link href="/" className="text-sm font-medium text-indigo-700 hover:underline">
        Back to the dashboard
      </Link>
    </div>
  );
}
