// Kills a database session at the moment it waits on a lock the test holds: the way to
// interrupt a playbook's transaction deterministically in the middle of its apply.

/**
 * Polls `findWaiting` until it returns a session id, then `kill`s it. Returns whether a
 * session was found within about 45 seconds: generous, because a playbook started on a loaded
 * two-core machine can take many seconds to reach its lock, and a shorter wait made the tests
 * fail by timing instead of by behaviour.
 */
export async function killWhenWaiting(findWaiting: () => Promise<number | undefined>, kill: (session: number) => Promise<void>): Promise<boolean> {
  for (let attempt = 0; attempt < 900; attempt++) {
    const session = await findWaiting();
    if (session !== undefined) {
      await kill(session);
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
