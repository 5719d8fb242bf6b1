"use client";

/** The last resort, when even the layout fails (e.g. the database cannot be read to know who is signed in). */
export default function GlobalError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "system-ui, sans-serif", padding: "2rem" }}>
        <h1>Trawl could not show this page</h1>
        <p>{error.digest ? `The server logged the reason under reference ${error.digest}.` : error.message}</p>
        <p>
          From a shell, <code>npm run doctor</code> says what is wrong.
        </p>
        <button type="button" onClick={reset}>
          Try again
        </button>
      </body>
    </html>
  );
}
