import { createContext, useContext } from "react";

/**
 * The CSP nonce of the response being rendered (server only): inline scripts carry it, or the
 * browser refuses them. In the browser the value is "", and React keeps the attribute the server sent.
 */
export const NonceContext = createContext("");

export const useNonce = (): string => useContext(NonceContext);
