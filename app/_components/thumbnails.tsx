import Link from "next/link";
import { MediaPreview } from "./media-preview";

type File = { assetId: string; title: string; mediaType: string; thumbUrl: string | null; fileUrl: string };

export function Thumbnails({ files, size = "h-16 w-16" }: { files: File[]; size?: string }) {
  if (files.length === 0) return null;
  return (
    <ul className="flex flex-wrap gap-2" aria-label="Latest files">
      {files.map((file) => (
        <li key={file.assetId}>
          <Link href={`/assets/${file.assetId}`} title={file.title} className={`block overflow-hidden rounded-md bg-slate-200 ${size}`}>
            {file.thumbUrl ? (
              // eslint-disable-next-line @next/next/no-img-element -- thumbnails come from our own API
              <img src={file.thumbUrl} alt={file.title} className="h-full w-full object-cover" loading="lazy" />
            ) : (
              <MediaPreview mediaType={file.mediaType} fileUrl={file.fileUrl} label={file.title} />
            )}
          </Link>
        </li>
      ))}
    </ul>
  );
}
