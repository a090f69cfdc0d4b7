// File ids are the on-disk names under <data>/files/: 128 random bits in base64url (22 characters of
// [A-Za-z0-9_-]), so they can neither be guessed nor carry a path, whatever a user named the file.
const FILE_ID = /^[A-Za-z0-9_-]{22}$/;

export function newFileId(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64url");
}

export function isFileId(value: string): boolean {
  return FILE_ID.test(value);
}
