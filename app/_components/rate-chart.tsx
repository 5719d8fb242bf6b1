import { formatBytes } from "./format";

/** Bars of bytes downloaded per 10 s over the last five minutes, as an SVG. */
export function RateChart({ buckets }: { buckets: Array<{ at: string; bytes: number; files: number }> }) {
  const width = 300;
  const height = 80;
  const max = Math.max(1, ...buckets.map((b) => b.bytes));
  const barWidth = width / buckets.length;
  const total = buckets.reduce((sum, b) => sum + b.bytes, 0);
  return (
    <figure>
      <svg
        viewBox={`0 0 ${width} ${height}`}
        className="h-20 w-full"
        role="img"
        aria-label={`Download rate over the last 5 minutes: ${formatBytes(total)} in total`}
      >
        <line x1="0" y1={height - 0.5} x2={width} y2={height - 0.5} className="stroke-slate-200" />
        {buckets.map((bucket, i) => {
          const h = (bucket.bytes / max) * (height - 4);
          return (
            <rect
              key={bucket.at}
              x={i * barWidth + 1}
              y={height - h}
              width={barWidth - 2}
              height={h}
              className="fill-indigo-500"
              data-bytes={bucket.bytes}
            >
              <title>{`${new Date(bucket.at).toLocaleTimeString()}: ${formatBytes(bucket.bytes)}, ${bucket.files} file(s)`}</title>
            </rect>
          );
        })}
      </svg>
      <figcaption className="flex justify-between text-xs text-slate-500">
        <span>5 min ago</span>
        <span>{formatBytes(total / 300)}/s average</span>
        <span>now</span>
      </figcaption>
    </figure>
  );
}
