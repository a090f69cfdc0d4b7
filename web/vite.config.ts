import { defineConfig } from "vite";
import solid from "vite-plugin-solid";
import { fileURLToPath } from "node:url";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [solid()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The CSP forbids inline scripts and styles: never inline assets, never inject a module preload polyfill.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    cssCodeSplit: false,
    target: "es2022",
    sourcemap: false,
  },
  server: {
    proxy: {
      "/api": { target: "https://localhost:8443", secure: false },
      "/ws": { target: "wss://localhost:8443", ws: true, secure: false },
    },
  },
});
