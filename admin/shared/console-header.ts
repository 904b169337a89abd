// The header the back-office console sends with every tRPC call. A cross-site page cannot send a custom header
// without a CORS preflight (never granted), so its presence proves the call came from our own console.
export const CONSOLE_HEADER = "x-mindnamo-console";
