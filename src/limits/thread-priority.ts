// Lowers the CPU priority of the calling thread (Linux: a thread has its own nice value). Password
// hashing runs on threads lowered this way, so when logins and messages compete for a core the
// scheduler gives it to the messages: a login storm makes logins slower, not the chat (issue 14).
// Through libc with bun:ffi, since neither Bun nor Node can renice one thread; elsewhere (or
// without glibc) it does nothing and says so (HashThreads.threads() reports it).
import { dlopen, FFIType } from "bun:ffi";

/** Nice value of hashing threads: at 10 a busy thread gets ~1/10 of a core shared with one at 0. */
export const BACKGROUND_NICE = 10;
const PRIO_PROCESS = 0;

/** Whether the calling thread's priority was lowered to `nice`, and the thread's id (Linux's tid). */
export function lowerThisThread(nice = BACKGROUND_NICE): { lowered: boolean; tid: number | null } {
  if (process.platform !== "linux") return { lowered: false, tid: null };
  try {
    const libc = dlopen("libc.so.6", {
      gettid: { args: [], returns: FFIType.i32 },
      setpriority: { args: [FFIType.i32, FFIType.u32, FFIType.i32], returns: FFIType.i32 },
    });
    try {
      const tid = libc.symbols.gettid();
      return { lowered: libc.symbols.setpriority(PRIO_PROCESS, tid, nice) === 0, tid };
    } finally {
      libc.close();
    }
  } catch {
    return { lowered: false, tid: null };
  }
}
