/**
 * Typed client for the LMS API: `schema.d.ts` is generated from the OpenAPI schema
 * (`npm run generate`); this file adds the bearer token and refreshes it once on a 401.
 *
 * No build step: import this file from your bundler (Vite, Next, ...) or `tsc` project.
 */
import createClient, { type Client } from "openapi-fetch";

import type { components, paths } from "./schema";

export type { components, paths } from "./schema";

/** Every named shape of the schema: `Schemas["Course"]`, `Schemas["Enrollment"]`, ... */
export type Schemas = components["schemas"];
/** A non-field error body: `{detail, code}` (plus extra fields some codes carry). */
export type ApiError = Schemas["Error"];
/** A 400 body: an `ApiError`, or `{field: [messages]}`. */
export type ValidationError = Schemas["ValidationError"];
export type Role = Schemas["RoleEnum"];

/** The access and refresh token pair login and refresh answer. */
export interface TokenPair {
  access: string;
  refresh: string;
}

/**
 * Where the client keeps its tokens. Keep the access token in memory; the refresh token
 * where your threat model allows (see docs/frontend-guide.md, "Keeping the session").
 */
export interface TokenStore {
  get(): TokenPair | null;
  set(pair: TokenPair | null): void;
}

/** Tokens kept in memory only (lost on reload): the default, and what tests use. */
export function memoryTokenStore(initial: TokenPair | null = null): TokenStore {
  let pair = initial;
  return {
    get: () => pair,
    set: (next) => {
      pair = next;
    },
  };
}

export interface LmsClientOptions {
  /** The API origin, e.g. `http://127.0.0.1:8000` (paths already start with `/api/v1/`). */
  baseUrl: string;
  tokens?: TokenStore;
  /** Called once the session is over (the refresh token is spent, expired or revoked). */
  onSessionExpired?: () => void;
  /** A fetch implementation (defaults to the global one). */
  fetch?: (input: Request) => Promise<Response>;
}

export type LmsClient = Client<paths> & {
  tokens: TokenStore;
  /** `POST users/login/`, keeping the token pair; answers the signed-in user or the error. */
  login(
    email: string,
    password: string,
  ): Promise<
    { user: Schemas["User"]; error?: never } | { user?: never; error: ApiError | ValidationError }
  >;
  /** `POST users/logout/` (the refresh token stops working) and forget the tokens. */
  logout(): Promise<void>;
};

const REFRESH_PATH = "/api/v1/token/refresh/";
/** Where a 401 is the answer itself (bad credentials), not a stale access token. */
const NO_RETRY_PATHS = [REFRESH_PATH, "/api/v1/users/login/", "/api/v1/users/google/"];

/** A client for every path of the schema, signed in with the tokens in `options.tokens`. */
export function createLmsClient(options: LmsClientOptions): LmsClient {
  const tokens = options.tokens ?? memoryTokenStore();
  const baseFetch = options.fetch ?? ((input: Request) => globalThis.fetch(input));
  let refreshing: Promise<string | null> | null = null;

  async function refresh(): Promise<string | null> {
    const sent = tokens.get();
    if (!sent) return null;
    const response = await baseFetch(
      new Request(new URL(REFRESH_PATH, options.baseUrl), {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh: sent.refresh }),
      }),
    );
    if (response.ok) {
      const pair = (await response.json()) as TokenPair;
      tokens.set(pair);
      return pair.access;
    }
    const now = tokens.get();
    if (now && now.refresh !== sent.refresh) {
      // Another tab (sharing the store) rotated the token first: ours was spent, theirs works.
      return now.access;
    }
    if (response.status === 401) {
      tokens.set(null);
      options.onSessionExpired?.();
    }
    return null;
  }

  /** One refresh in flight at a time: concurrent 401s wait for the same one. */
  function refreshOnce(staleAccess: string | undefined): Promise<string | null> {
    const current = tokens.get();
    if (current && current.access !== staleAccess) return Promise.resolve(current.access);
    refreshing ??= refresh().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function authorisedFetch(request: Request): Promise<Response> {
    const retry = request.clone();
    const access = tokens.get()?.access;
    if (access && !request.headers.has("Authorization")) {
      request.headers.set("Authorization", `Bearer ${access}`);
    }
    const response = await baseFetch(request);
    const path = new URL(request.url).pathname;
    if (response.status !== 401 || !access || NO_RETRY_PATHS.includes(path)) return response;
    // Only `token_not_valid` means "refresh and retry"; other 401 codes mean "sign in again".
    const body = (await response
      .clone()
      .json()
      .catch(() => null)) as Partial<ApiError> | null;
    if (body?.code !== "token_not_valid") return response;
    const fresh = await refreshOnce(access);
    if (!fresh) return response;
    retry.headers.set("Authorization", `Bearer ${fresh}`);
    return baseFetch(retry);
  }

  const client = createClient<paths>({ baseUrl: options.baseUrl, fetch: authorisedFetch });

  async function login(email: string, password: string) {
    const { data, error } = await client.POST("/api/v1/users/login/", {
      body: { email, password },
    });
    if (error) return { error };
    tokens.set({ access: data.access, refresh: data.refresh });
    return { user: data.user };
  }

  async function logout() {
    const pair = tokens.get();
    if (pair) await client.POST("/api/v1/users/logout/", { body: { refresh: pair.refresh } });
    tokens.set(null);
  }

  return Object.assign(client, { tokens, login, logout });
}
