import { createContext, useContext } from "react";

// The CSP nonce of this response. Provided by entry.server; browsers hide the attribute value afterwards, so on
// the client the nonce is empty, which is fine: scripts are already running.
export const NonceContext = createContext<string>("");
export const useNonce = () => useContext(NonceContext);
