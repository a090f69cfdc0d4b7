import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { startServer } from "../server.ts";
import { createAssetStore } from "../web/assets.ts";
import { EMBEDDED_FILES } from "../web/embedded.generated.ts";

/** Graceful stop must finish within this; after it the process exits anyway. */
const STOP_DEADLINE_MS = 5000;

export async function serve(config: Config, logger: Logger): Promise<void> {
  const assets = createAssetStore(EMBEDDED_FILES);
  const server = await startServer(config, logger, assets);
  assets.warm();
  process.stderr.write(
    `VaultRoom is running on https://localhost:${server.port}\n` +
      `Certificate SHA-256 fingerprint: ${server.fingerprint}\n`,
  );
  const shutdown = (signal: string) => {
    logger.info("shutdown", { signal });
    const deadline = setTimeout(() => {
      logger.error("shutdown_timeout", { ms: STOP_DEADLINE_MS });
      process.exit(1);
    }, STOP_DEADLINE_MS);
    server.stop().then(
      () => {
        clearTimeout(deadline);
        process.exit(0);
      },
      (error: unknown) => {
        logger.error("shutdown_failed", { error: String(error) });
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", () => shutdown("SIGINT"));
  process.once("SIGTERM", () => shutdown("SIGTERM"));
}
