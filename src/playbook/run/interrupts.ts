// Ctrl-C or a SIGTERM while an apply changes things must not end the run without saying what
// changed and how to put it back. While changes run, the first signal asks the run to stop after
// the step in progress (a step is one transaction, or a change that cannot be cut in half); a
// second signal ends the run at once, saying the step in progress may have changed something.

export const INTERRUPT_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export interface InterruptWatch {
  /** A signal came: stop before the next step. */
  requested(): boolean;
  /** Back to the default handling (the process ends on a signal). */
  release(): void;
}

/**
 * Watches for interrupts while changes run. `onFirst` says the run will stop after the current
 * step; `onSecond` must end the process (it is called from the signal handler).
 */
export function watchInterrupts(onFirst: (signal: string) => void, onSecond: (signal: string) => never): InterruptWatch {
  let received = false;
  const handler = (signal: NodeJS.Signals) => {
    if (received) onSecond(signal);
    received = true;
    onFirst(signal);
  };
  for (const signal of INTERRUPT_SIGNALS) process.on(signal, handler);
  return {
    requested: () => received,
    release: () => {
      for (const signal of INTERRUPT_SIGNALS) process.off(signal, handler);
    },
  };
}
