/**
 * The client's address as Trawl's own server saw it (scripts/web-server.mjs sets it from the
 * socket, or from X-Forwarded-For when the socket is a trusted proxy, and drops any copy
 * a client sent). Login rate limits and the proxy user header rely on it.
 */
export const CLIENT_IP_HEADER = "x-trawl-client-ip";
