// How a crash-test child stops at the point its round aims at: it says where on stdout and stops itself (SIGSTOP, every
// thread at once), so nothing runs past that point before the parent's SIGKILL lands, however fast the machine is.
// The point is counted in the phase's own units (the k-th file, the k-th label), never in time.

/** Announces `hold <where>` (stdout to a pipe is written synchronously on Linux) and stops until the parent kills. */
export function holdForKill(where: string): void {
  process.stdout.write(`hold ${where}\n`);
  process.kill(process.pid, 'SIGSTOP');
}
