// Shapes database rows into JSON-safe values (BigInt and Date do not serialize).
export const toNumber = (value: bigint | number) => Number(value);
export const toIso = (value: Date | null | undefined) => (value ? value.toISOString() : null);
