/**
 * Runs `task` on every item with at most `limit` in flight, results in item order. After a failure no new item
 * starts, and the first error is thrown once the running ones have finished: nothing keeps writing after the caller
 * has been told the run failed.
 */
export async function mapLimited<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  let failed = false;
  const lane = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, lane));
  const rejected = lanes.find((settled): settled is PromiseRejectedResult => settled.status === 'rejected');
  if (rejected) throw rejected.reason;
  return results;
}
