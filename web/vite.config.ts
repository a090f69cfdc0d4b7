import { defineConfig, type Plugin } from "vite";
import solid from "vite-plugin-solid";
import { fileURLToPath } from "node:url";

const serverSource = fileURLToPath(new URL("../src/", import.meta.url));

/**
 * Protocol rules both sides run, written once: plain functions and constants importing nothing but
 * each other (a new import from one of them outside this list fails the build like any other).
 */
const SHARED = new Set(["protocol/emoji.ts", "protocol/limits.ts", "protocol/notify-rule.ts"].map((path) => serverSource + path));

/**
 * Otherwise the web app may know the server only through types (`import type`, erased before
 * bundling): a value import from src/ would ship server code, and its imports, to every browser.
 * Fail the build.
 */
function noServerCode(): Plugin {
  return {
    name: "vaultroom:no-server-code",
    load(id) {
      if (id.startsWith(serverSource) && !SHARED.has(id)) this.error(`server code imported by the web app: ${id}`);
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [solid(), noServerCode()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The CSP forbids inline scripts and styles: never inline assets, never inject a module preload polyfill.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    target: "es2022",
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Everything the first page needs in one chunk: left to itself, the bundler split modules
        // shared with the lazy chunks (threads, pins, the emoji picker and its data) into common
        // chunks the first page loads anyway, compressed separately (~4 KB gzipped more in all).
        codeSplitting: { groups: [{ name: "app", tags: ["$initial"] }] },
      },
    },
  },
  server: {
    proxy: {
      "/api": { target: "https://localhost:8443", secure: false },
      "/ws": { target: "wss://localhost:8443", ws: true, secure: false },
    },
  },
});
