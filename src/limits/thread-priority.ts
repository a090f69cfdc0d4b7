// Lowers the CPU priority of a thread (Linux: a thread has its own nice value). Password hashing runs
// on threads lowered this way, so when logins and messages compete for a core the scheduler gives it
// to the messages: a login storm makes logins slower, not the chat (issue 14). So does Bun's "HTTP
// Client" thread, which encrypts and sends every Web Push (push/sender.ts): a burst of pushes makes
// the pushes later, not the messages (issue 12).
// Through libc with bun:ffi, since neither Bun nor Node can renice one thread; elsewhere (or
// without glibc) it does nothing and says so (HashThreads.threads() reports it).
import { dlopen, FFIType } from "bun:ffi";
import { readdirSync, readFileSync } from "node:fs";

/** Nice value of hashing threads: at 10 a busy thread gets ~1/10 of a core shared with one at 0. */
export const BACKGROUND_NICE = 10;
const PRIO_PROCESS = 0;

function withLibc<T>(use: (libc: { gettid(): number; setpriority(which: number, who: number, nice: number): number }) => T): T | null {
  if (process.platform !== "linux") return null;
  try {
    const libc = dlopen("libc.so.6", {
      gettid: { args: [], returns: FFIType.i32 },
      setpriority: { args: [FFIType.i32, FFIType.u32, FFIType.i32], returns: FFIType.i32 },
    });
    try {
      return use(libc.symbols);
    } finally {
      libc.close();
    }
  } catch {
    return null;
  }
}

/** Whether the calling thread's priority was lowered to `nice`, and the thread's id (Linux's tid). */
export function lowerThisThread(nice = BACKGROUND_NICE): { lowered: boolean; tid: number | null } {
  return (
    withLibc((libc) => {
      const tid = libc.gettid();
      return { lowered: libc.setpriority(PRIO_PROCESS, tid, nice) === 0, tid };
    }) ?? { lowered: false, tid: null }
  );
}

/** Lowers every thread of this process named `name` (its /proc comm) to `nice`; the tids lowered. */
export function lowerThreadsNamed(name: string, nice = BACKGROUND_NICE): number[] {
  let tids: number[];
  try {
    tids = readdirSync("/proc/self/task")
      .filter((tid) => {
        try {
          return readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim() === name;
        } catch {
          return false; // the thread ended meanwhile
        }
      })
      .map(Number);
  } catch {
    return [];
  }
  return withLibc((libc) => tids.filter((tid) => libc.setpriority(PRIO_PROCESS, tid, nice) === 0)) ?? [];
}
