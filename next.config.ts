import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native and wasm packages load from node_modules at run time instead of being bundled.
  serverExternalPackages: ["better-sqlite3", "sharp", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg", "mediainfo.js"],
  poweredByHeader: false,
  // npm test runs `tsc --noEmit` over the whole project (tests included) before building,
  // so the build does not type-check a second time.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
