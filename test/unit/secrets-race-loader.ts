// A process that loads (or creates) a secrets file and prints its session key: secrets-race.test.ts.
import { loadOrCreateSecrets } from "../../src/secrets.ts";

const [dir, file] = process.argv.slice(2) as [string, string];
// Start together: wait for the next 50 ms boundary, as nodes started by one command would.
await Bun.sleep(50 - (Date.now() % 50));
console.log(loadOrCreateSecrets(dir, file).sessionKey);
