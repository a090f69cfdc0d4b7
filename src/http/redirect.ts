// The optional plain-HTTP listener: it serves nothing but a 308 to the HTTPS address. The target is
// the configured public address (the first --origin, else --host and the HTTPS port), never the
// request's Host: what a client names there must not choose where anyone is sent. With --domain it
// also answers ACME's HTTP-01 challenges.
import type { Logger } from "../log.ts";
import { errorResponse } from "./errors.ts";
import { lastResortOptions, logRefused } from "./last-resort.ts";
import { MALFORMED_REQUEST, requestUrl } from "./request-target.ts";

/** ACME's HTTP-01 answers (acme/http-challenges.ts), served before any redirect with --domain. */
export interface ChallengeAnswers {
  answer(pathname: string): Response | null;
}

export interface RedirectOptions {
  hostname: string;
  port: number;
  /** Where visitors go: an https origin such as "https://chat.example.org" or "https://127.0.0.1:8443". */
  target: string;
  /** The security headers (without HSTS, which plain HTTP cannot carry). */
  headers: Record<string, string>;
  logger: Logger;
  challenges?: ChallengeAnswers;
}

export function startRedirectServer(options: RedirectOptions) {
  const { headers, logger, target } = options;
  try {
    return Bun.serve({
      hostname: options.hostname,
      port: options.port,
      reusePort: false,
      ...lastResortOptions("redirect", headers, logger),
      fetch(request) {
        const url = requestUrl(request);
        if (!url) {
          logRefused(logger, "redirect", request, 400);
          return errorResponse(400, MALFORMED_REQUEST, { ...headers, "cache-control": "no-store" });
        }
        const answer = options.challenges?.answer(url.pathname);
        if (answer) return answer;
        return new Response(null, { status: 308, headers: { ...headers, location: `${target}${url.pathname}${url.search}`, "cache-control": "no-store" } });
      },
    });
  } catch (error) {
    throw new Error(`cannot listen on ${options.hostname}:${options.port} for redirects: ${(error as Error).message}`);
  }
}

/**
 * The https origin the redirect sends visitors to: the first --origin, else the first --domain, else
 * --host with the HTTPS port.
 */
export function redirectTarget(config: { host: string; origins: readonly string[]; acme?: { domains: string[] } | null }, httpsPort: number): string {
  if (config.origins[0]) return config.origins[0];
  const domain = config.acme?.domains[0];
  if (domain) return `https://${domain}${httpsPort === 443 ? "" : `:${httpsPort}`}`;
  const host = config.host.includes(":") ? `[${config.host}]` : config.host;
  return `https://${host}${httpsPort === 443 ? "" : `:${httpsPort}`}`;
}
