"use client";

import { useEffect } from "react";

/** Shown instead of a blank page when a page fails on the server or in the browser; the server log has the details. */
export default function PageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <div
      role="alert"
      aria-label="Page error"
      className="max-w-xl space-y-3 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-800"
    >
      <h1 className="text-lg font-semibold">This page could not be shown</h1>
      <p>{error.digest ? `The server logged the reason under reference ${error.digest}.` : error.message}</p>
      <p>If a health check fails, the banner above or the Health page says how to fix it.</p>
      <button type="button" onClick={reset} className="rounded-md border border-red-300 bg-white px-3 py-1.5 font-medium">
        Try again
      </button>
    </div>
  );
}
