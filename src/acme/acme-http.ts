// How acme-client reaches the ACME server. It talks through its own axios instance, configured here
// once per process: the CA bundle from --acme-ca-file, a timeout (axios has none), and no retries of
// its own. acme-client would retry a failed request five times over ~75 s and then, for a network
// error, throw "undefined is not an object (evaluating 'response.config')" instead of the cause; the
// renewal schedule does the retrying (with backoff) and needs the cause in plain words.
//
// acme-client and axios are loaded on first use, not with the binary: evaluating them took ~100 ms
// of every start-up (measured on the compiled binary), and most servers never use ACME.
import type { AxiosAdapter } from "axios";
import { readFileSync } from "node:fs";
import https from "node:https";

const REQUEST_TIMEOUT_MS = 30_000;

type AcmeModule = typeof import("acme-client");
let modules: Promise<[AcmeModule, typeof import("axios")]> | null = null;
let configured: AcmeModule | null = null;

/** acme-client, configured (configureAcmeHttp has run: openAcmeListener does it first). */
export async function loadAcme(): Promise<AcmeModule> {
  if (!configured) throw new Error("ACME is used before configureAcmeHttp()");
  return configured;
}

/** Checks --acme-ca-file now (a bad file stops the start), then loads and configures acme-client. */
export async function configureAcmeHttp(caFile: string | null): Promise<void> {
  let ca: string | null = null;
  if (caFile !== null) {
    try {
      ca = readFileSync(caFile, "utf8");
    } catch (error) {
      throw new Error(`cannot read --acme-ca-file ${caFile}: ${(error as Error).message}`);
    }
    if (!ca.includes("-----BEGIN CERTIFICATE-----")) throw new Error(`--acme-ca-file ${caFile} holds no PEM certificate`);
  }
  const [acme, axios] = await (modules ??= Promise.all([import("acme-client"), import("axios")]));
  configured = configure(acme, axios.getAdapter, ca);
}

function configure(acme: AcmeModule, getAdapter: typeof import("axios").getAdapter, ca: string | null): AcmeModule {
  // Replaces the default roots for the ACME server only; the rest of the process is unaffected.
  if (ca !== null) acme.axios.defaults.httpsAgent = new https.Agent({ ca, keepAlive: true });
  // acmeSettings is acme-client's own addition to its axios defaults (src/axios.js), untyped.
  const defaults = acme.axios.defaults as typeof acme.axios.defaults & { acmeSettings: Record<string, number> };
  defaults.timeout = REQUEST_TIMEOUT_MS;
  defaults.acmeSettings = { ...defaults.acmeSettings, retryMaxAttempts: 0 };
  const http = getAdapter("http");
  const adapter: AxiosAdapter = async (config) => {
    try {
      return await http(config);
    } catch (error) {
      const failure = error as { response?: unknown; code?: string; message?: string };
      if (failure.response) throw error; // an HTTP answer: acme-client reads the ACME problem document
      // A plain Error (no `config`) passes acme-client's retry interceptor untouched.
      throw new Error(`cannot reach the ACME server at ${config.url ?? "?"}: ${networkProblem(failure)}`);
    }
  };
  acme.axios.defaults.adapter = adapter;
  return acme;
}

function networkProblem(error: { code?: string; message?: string }): string {
  switch (error.code) {
    case "ECONNREFUSED":
      return "connection refused";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "the name does not resolve";
    case "ECONNABORTED":
    case "ETIMEDOUT":
      return "no answer in time";
    case "DEPTH_ZERO_SELF_SIGNED_CERT":
    case "SELF_SIGNED_CERT_IN_CHAIN":
    case "UNABLE_TO_VERIFY_LEAF_SIGNATURE":
    case "UNABLE_TO_GET_ISSUER_CERT_LOCALLY":
    case "CERT_HAS_EXPIRED":
    case "ERR_TLS_CERT_ALTNAME_INVALID":
      return `its certificate is not trusted (${error.code}; see --acme-ca-file)`;
    default:
      return error.message ?? error.code ?? "unknown error";
  }
}
