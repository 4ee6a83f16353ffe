/**
 * At most `limit` calls of the returned function in flight at once (0: no limit); the others queue, first come
 * first served. The drain wraps its eviction requests in one: the bound is on what loads the apiserver, while the
 * waits for deletion (one shared LIST per interval) hold no slot.
 */
export function limiter(limit: number): <T>(fn: () => Promise<T>) => Promise<T> {
  if (limit <= 0) return (fn) => fn();
  let active = 0;
  const queue: (() => void)[] = [];
  // A finished call hands its slot straight to the next in the queue, so a newcomer cannot take it in between.
  const release = () => {
    const next = queue.shift();
    if (next) next();
    else active--;
  };
  return async (fn) => {
    if (active < limit) active++;
    else await new Promise<void>((resolve) => queue.push(resolve));
    try {
      return await fn();
    } finally {
      release();
    }
  };
}
