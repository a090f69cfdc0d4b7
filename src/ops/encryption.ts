// Backup encryption with age (age-encryption.org), scrypt passphrase recipient. age was chosen over
// hand-rolled AES-GCM framing because its format is specified, authenticated chunk by chunk (a
// truncated or altered file fails to decrypt), and readable by the reference `age` tool. The library
// is loaded when a backup is sealed or opened, not with the binary (~20 ms of every start-up).
import { openSync, readSync, closeSync, readFileSync, statSync } from "node:fs";
import { OpsError } from "./ops-error.ts";

const AGE_MAGIC = "age-encryption.org/v1\n";
/** Passphrases shorter than this still work, but the operator is told that they are weak. */
export const RECOMMENDED_PASSPHRASE_LENGTH = 12;

export interface Passphrase {
  value: string;
  warnings: string[];
}

/** Reads the passphrase from the first line of a file, so it never appears in argv or shell history. */
export function readPassphraseFile(path: string): Passphrase {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new OpsError(`cannot read the passphrase file ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, 2);
  }
  const value = text.replace(/\r?\n$/, "");
  if (value === "") throw new OpsError(`the passphrase file ${path} is empty`, 2);
  if (value.includes("\n")) throw new OpsError(`the passphrase file ${path} must hold one line`, 2);
  const warnings: string[] = [];
  if (value.length < RECOMMENDED_PASSPHRASE_LENGTH) {
    warnings.push(`the passphrase is shorter than ${RECOMMENDED_PASSPHRASE_LENGTH} characters: anyone holding the backup can guess it more easily`);
  }
  if ((statSync(path).mode & 0o077) !== 0) {
    warnings.push(`${path} can be read by other users of this machine: chmod 600 it`);
  }
  return { value, warnings };
}

export async function encryptStream(plain: AsyncIterable<Uint8Array>, passphrase: string): Promise<ReadableStream<Uint8Array>> {
  const { Encrypter } = await import("age-encryption");
  const encrypter = new Encrypter();
  encrypter.setPassphrase(passphrase);
  return encrypter.encrypt(toWebStream(plain));
}

function toWebStream(source: AsyncIterable<Uint8Array>): ReadableStream<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await iterator.next();
      if (next.done) controller.close();
      else controller.enqueue(next.value);
    },
    async cancel(reason) {
      await iterator.return?.(reason);
    },
  });
}

export async function decryptStream(sealed: ReadableStream<Uint8Array>, passphrase: string): Promise<ReadableStream<Uint8Array>> {
  const { Decrypter } = await import("age-encryption");
  const decrypter = new Decrypter();
  decrypter.addPassphrase(passphrase);
  try {
    return await decrypter.decrypt(sealed);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/no identity matched/i.test(message) || /incorrect/i.test(message)) {
      throw new OpsError("the passphrase does not open this backup", 1);
    }
    throw new OpsError(`the encrypted backup's header is damaged: ${message}`, 1);
  }
}

/** True when the file starts with the age header, i.e. it was made with --passphrase-file. */
export function isEncryptedFile(path: string): boolean {
  const fd = openSync(path, "r");
  try {
    const head = Buffer.alloc(AGE_MAGIC.length);
    const read = readSync(fd, head, 0, head.length, 0);
    return read === head.length && head.toString("latin1") === AGE_MAGIC;
  } finally {
    closeSync(fd);
  }
}
