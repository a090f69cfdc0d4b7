// Passkey routes: the relying party's public facts, signing in with a passkey (alone, or as the second
// step), re-authenticating with one, and managing my passkeys. The ceremonies' answers are checked
// for shape here and verified by @simplewebauthn/server in the domain (accounts/passkeys.ts).
import { Elysia, t } from "elysia";
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from "@simplewebauthn/server";
import { HALF_SESSION_COOKIE } from "../accounts/half-sessions.ts";
import { passkeyLoginOptions, secondFactorPasskeyOptions, secondFactorWithPasskey, signInWithPasskey } from "../accounts/passkey-sign-in.ts";
import { addPasskey, authenticationOptions, reauthWithPasskey, registrationOptions, removePasskey, renamePasskey } from "../accounts/passkeys.ts";
import { relyingParty } from "../accounts/relying-party.ts";
import { SESSION_COOKIE } from "../accounts/session-tokens.ts";
import type { PasskeyConfig, PasskeyInfo, ReauthResponse, UserResponse } from "../accounts/types.ts";
import { users } from "../accounts/users.ts";
import type { Services } from "../services.ts";
import { authContext, requireSession, setSessionCookie } from "./auth-context.ts";
import { clearHalfSessionCookie, halfSessionToken } from "./half-session-cookie.ts";
import { requestMeta } from "./session-meta.ts";

const b64 = (max: number) => t.String({ maxLength: max, pattern: "^[A-Za-z0-9_-]*$" });
const common = {
  id: b64(1366),
  rawId: b64(1366),
  type: t.Literal("public-key"),
  clientExtensionResults: t.Record(t.String(), t.Unknown()),
  authenticatorAttachment: t.Optional(t.String({ maxLength: 32 })),
};
const assertion = t.Object({
  ...common,
  response: t.Object({
    clientDataJSON: b64(4096),
    authenticatorData: b64(4096),
    // RSA keys make long signatures (the DevTools virtual authenticator uses one).
    signature: b64(4096),
    userHandle: t.Optional(b64(128)),
  }),
});
const attestation = t.Object({
  ...common,
  response: t.Object({
    clientDataJSON: b64(4096),
    attestationObject: b64(16384),
    authenticatorData: t.Optional(b64(16384)),
    transports: t.Optional(t.Array(t.String({ maxLength: 32 }), { maxItems: 8 })),
    publicKeyAlgorithm: t.Optional(t.Integer()),
    publicKey: t.Optional(b64(4096)),
  }),
});

export function passkeyRoutes(services: Services) {
  const accounts = services.accounts;
  const db = services.store.read;
  const rp = () => relyingParty(services.config);
  const selfSigned = () => (typeof services.selfSigned === "function" ? services.selfSigned() : services.selfSigned);
  const meta = (request: Request, server: Parameters<typeof requestMeta>[1]) => ({ ...requestMeta(request, server), origin: request.headers.get("origin") });

  return new Elysia({ prefix: "/api" })
    .use(authContext(services))
    .get("/auth/passkeys", (): PasskeyConfig => ({ rpId: rp().id, selfSigned: selfSigned() }))
    .post("/auth/passkey/options", async ({ request, server }) => ({ options: await passkeyLoginOptions(accounts, rp(), requestMeta(request, server)) }))
    .post(
      "/auth/passkey",
      async ({ body, request, server, cookie, actor }): Promise<UserResponse> => {
        const { user, claims } = await signInWithPasskey(accounts, rp(), body.response as AuthenticationResponseJSON, meta(request, server), actor?.sessionId ?? null);
        setSessionCookie(cookie[SESSION_COOKIE]!, await services.tokens.sign(claims));
        clearHalfSessionCookie(cookie[HALF_SESSION_COOKIE]!);
        return { user: (await users.get(db, user.id)) ?? user };
      },
      { body: t.Object({ response: assertion }) },
    )
    .post("/auth/second-factor/passkey/options", async ({ cookie }) => ({
      options: await secondFactorPasskeyOptions(accounts, rp(), halfSessionToken(cookie)),
    }))
    .post(
      "/auth/second-factor/passkey",
      async ({ body, request, server, cookie }): Promise<UserResponse> => {
        const { user, claims } = await secondFactorWithPasskey(accounts, rp(), halfSessionToken(cookie), body.response as AuthenticationResponseJSON, meta(request, server));
        setSessionCookie(cookie[SESSION_COOKIE]!, await services.tokens.sign(claims));
        clearHalfSessionCookie(cookie[HALF_SESSION_COOKIE]!);
        return { user: (await users.get(db, user.id)) ?? user };
      },
      { body: t.Object({ response: assertion }) },
    )
    .post("/account/reauth/passkey/options", async ({ actor }) => ({
      options: await authenticationOptions(accounts, rp(), "reauth", requireSession(actor).userId),
    }))
    .post(
      "/account/reauth/passkey",
      async ({ actor, body, request, server }): Promise<ReauthResponse> => ({
        reauthUntil: await reauthWithPasskey(accounts, requireSession(actor), rp(), body.response as AuthenticationResponseJSON, meta(request, server)),
      }),
      { body: t.Object({ response: assertion }) },
    )
    .post("/account/passkeys/options", async ({ actor }) => ({ options: await registrationOptions(accounts, requireSession(actor), rp()) }))
    .post(
      "/account/passkeys",
      async ({ actor, body, request, server, set }): Promise<{ passkey: PasskeyInfo; recoveryCodes: string[] | null }> => {
        const added = await addPasskey(accounts, requireSession(actor), rp(), { response: body.response as RegistrationResponseJSON, name: body.name }, meta(request, server));
        set.status = 201;
        return added;
      },
      { body: t.Object({ response: attestation, name: t.Optional(t.String({ maxLength: 256 })) }) },
    )
    .patch(
      "/account/passkeys/:id",
      async ({ actor, params, body, set }) => {
        await renamePasskey(accounts, requireSession(actor), params.id, body.name);
        set.status = 204;
      },
      { params: t.Object({ id: b64(1366) }), body: t.Object({ name: t.String({ maxLength: 256 }) }) },
    )
    .delete(
      "/account/passkeys/:id",
      async ({ actor, params, request, server, set }) => {
        await removePasskey(accounts, requireSession(actor), params.id, requestMeta(request, server));
        set.status = 204;
      },
      { params: t.Object({ id: b64(1366) }) },
    );
}
