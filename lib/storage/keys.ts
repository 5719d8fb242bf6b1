// Where things are kept, by content: the one place storage keys are made.

/** A stored original: files/<first two hex digits>/<sha256>.<ext>. */
export const fileKey = (sha256: string, ext: string) => `files/${sha256.slice(0, 2)}/${sha256}.${ext}`;

/** Its thumbnail: thumbs/<first two hex digits>/<sha256>.webp. */
export const thumbKey = (sha256: string) => `thumbs/${sha256.slice(0, 2)}/${sha256}.webp`;
