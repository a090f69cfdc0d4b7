// Passkeys in the browser, through @simplewebauthn/browser. Browsers allow WebAuthn only on a secure
// context with a trusted certificate, or on localhost, and never on a bare IP address: where they
// cannot work, the interface hides them and says why (docs/SECURITY.md).
import {
  browserSupportsWebAuthn,
  browserSupportsWebAuthnAutofill,
  startAuthentication,
  startRegistration,
  WebAuthnAbortService,
} from "@simplewebauthn/browser";
import { createResource } from "solid-js";
import { api, call } from "./http.ts";
import type { PasskeyConfig } from "./types.ts";

export type PasskeyBlocker = "browser" | "address" | "certificate" | "name";

const IP_HOST = /^(\d{1,3}\.){3}\d{1,3}$|^\[?[0-9a-f:]+\]?$/i;

/** Why passkeys cannot work on this page, or null when they can. */
export function passkeyBlocker(config: PasskeyConfig, host = location.hostname, webAuthn = browserSupportsWebAuthn()): PasskeyBlocker | null {
  if (!webAuthn || (typeof isSecureContext !== "undefined" && !isSecureContext)) return "browser";
  if (IP_HOST.test(host)) return "address";
  const local = host === "localhost" || host.endsWith(".localhost");
  if (config.selfSigned && !local) return "certificate";
  if (host !== config.rpId && !host.endsWith(`.${config.rpId}`)) return "name";
  return null;
}

/** The server's relying party, loaded once per page. */
let config: Promise<PasskeyConfig> | null = null;
export function usePasskeyConfig() {
  config ??= call(api.auth.passkeys.get());
  const [resource] = createResource(() => config!.then((c) => ({ config: c, blocker: passkeyBlocker(c) })));
  return resource;
}

export const autofillSupported = () => browserSupportsWebAuthnAutofill();

/** Cancels a conditional (autofill) request waiting in the background, before another ceremony starts. */
export const cancelCeremony = () => WebAuthnAbortService.cancelCeremony();

export async function createPasskey(name: string) {
  const { options } = await call(api.account.passkeys.options.post());
  const response = await startRegistration({ optionsJSON: options });
  return call(api.account.passkeys.post({ response: response as never, name }));
}

export async function assertPasskey(options: Parameters<typeof startAuthentication>[0]["optionsJSON"], autofill = false) {
  return startAuthentication({ optionsJSON: options, useBrowserAutofill: autofill });
}

/** True when the person (or the browser) cancelled the ceremony: no error to show. */
export function cancelled(error: unknown): boolean {
  return error instanceof Error && (error.name === "NotAllowedError" || error.name === "AbortError" || (error as { code?: string }).code === "ERROR_CEREMONY_ABORTED");
}
