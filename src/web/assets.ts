// The web app's files, held in memory (with a gzip copy of the compressible ones) so serving them
// costs no disk access. In the compiled binary the paths point into the embedded file system.
// Files are read, and their gzip copies made, after the server listens (warm(), one file per turn of
// the event loop) or at a file's first request, whichever comes first: made at start-up, level 9 over
// ~1 MB of script held the first HTTPS answer back ~65 ms (cold start, bench history).
import { readFileSync } from "node:fs";

export interface Asset {
  body: Uint8Array<ArrayBuffer>;
  /** The gzip copy (made on first need), or null for what is not worth compressing. */
  gzip(): Uint8Array<ArrayBuffer> | null;
  contentType: string;
  /** Vite's content-hashed files never change: they may be cached for a year. */
  immutable: boolean;
  etag: string;
}

export interface AssetStore {
  get(path: string): Asset | undefined;
  index(): Asset;
  /** Makes the gzip copies in the background, one file per turn of the event loop. */
  warm(): void;
}

const TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  png: "image/png",
  ico: "image/x-icon",
  json: "application/json",
  woff2: "font/woff2",
  txt: "text/plain; charset=utf-8",
  webmanifest: "application/manifest+json",
  wav: "audio/wav",
};
const COMPRESSIBLE = new Set(["html", "js", "css", "svg", "json", "txt", "webmanifest"]);

export function createAssetStore(files: Record<string, string>): AssetStore {
  // Each file is read (and hashed for its ETag) at its first request or by warm(), not at start-up:
  // reading and hashing all of them held the first HTTPS answer back ~15–25 ms (cold start).
  const loaded = new Map<string, Asset>();
  const load = (urlPath: string): Asset | undefined => {
    const cached = loaded.get(urlPath);
    if (cached) return cached;
    if (!Object.hasOwn(files, urlPath)) return undefined;
    const body = new Uint8Array(readFileSync(files[urlPath]!)) as Uint8Array<ArrayBuffer>;
    const extension = urlPath.slice(urlPath.lastIndexOf(".") + 1).toLowerCase();
    let gzipped: Uint8Array<ArrayBuffer> | null | undefined = COMPRESSIBLE.has(extension) && body.length > 512 ? undefined : null;
    const asset: Asset = {
      body,
      gzip: () => (gzipped === undefined ? (gzipped = Bun.gzipSync(body, { level: 9 }) as Uint8Array<ArrayBuffer>) : gzipped),
      contentType: TYPES[extension] ?? "application/octet-stream",
      immutable: urlPath.startsWith("/assets/"),
      etag: `"${Bun.hash(body).toString(36)}"`,
    };
    loaded.set(urlPath, asset);
    return asset;
  };
  if (!Object.hasOwn(files, "/index.html")) throw new Error("the embedded web app has no index.html");
  return {
    get: load,
    index: () => load("/index.html")!,
    warm() {
      const queue = Object.keys(files);
      const next = () => {
        const urlPath = queue.shift();
        if (urlPath === undefined) return;
        load(urlPath)?.gzip();
        setImmediate(next);
      };
      setImmediate(next);
    },
  };
}

export function assetResponse(asset: Asset, request: Request): Response {
  const headers: Record<string, string> = {
    "content-type": asset.contentType,
    "cache-control": asset.immutable ? "public, max-age=31536000, immutable" : "no-cache",
    etag: asset.etag,
    vary: "accept-encoding",
  };
  if (request.headers.get("if-none-match") === asset.etag) return new Response(null, { status: 304, headers });
  const gzip = /\bgzip\b/.test(request.headers.get("accept-encoding") ?? "") ? asset.gzip() : null;
  if (gzip) return new Response(gzip, { headers: { ...headers, "content-encoding": "gzip" } });
  return new Response(asset.body, { headers });
}
