// Every command by name. A command may run wherever the write transaction runs — on the event loop,
// or in the SQLite writer thread, which knows commands only by the names its messages carry — so each
// name must be unique; command() registers it here and a second command with the same name is a bug.
import type { Command } from "./store.ts";

const registry = new Map<string, Command<unknown, unknown>>();

export function register(command: Command<unknown, unknown>): void {
  const existing = registry.get(command.name);
  if (existing && existing !== command) throw new Error(`two commands are named "${command.name}"`);
  registry.set(command.name, command);
}

export function commandNamed(name: string): Command<unknown, unknown> | undefined {
  return registry.get(name);
}

export function commandNames(): string[] {
  return [...registry.keys()].sort();
}
