export interface BatcherOptions {
  maxSize: number;
  maxWaitMs: number;
}

interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * Gathers items handed in one by one into batches: a batch is written when it is full or when its first item has
 * waited `maxWaitMs`. Each `add` settles when its own item is stored, so the caller (a BullMQ job) completes only
 * after its batch has committed. When a batch fails, its items are retried one by one, so one bad item fails
 * alone instead of taking the whole batch down with it on every retry. Batches are written one after another, never
 * at the same time: they all update the same rollup and usage rows, and in parallel they would only queue behind
 * each other's row locks while holding connections the rest of the API needs.
 */
export class Batcher<T> {
  private pending: Pending<T>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly options: BatcherOptions,
    private readonly onBatchError: (error: unknown, size: number) => void,
  ) {}

  add(item: T): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.options.maxSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
    });
  }

  /** Writes what is waiting now; resolves when every batch started so far has settled. */
  async drain(): Promise<void> {
    this.flush();
    await Promise.allSettled([...this.inFlight]);
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const task = (this.writing = this.writing.then(() => this.writeBatch(batch))).finally(() => this.inFlight.delete(task));
    this.inFlight.add(task);
  }

  private async writeBatch(batch: Pending<T>[]): Promise<void> {
    try {
      await this.write(batch.map((p) => p.item));
      for (const p of batch) p.resolve();
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      this.onBatchError(error, batch.length);
      for (const p of batch) {
        await this.write([p.item]).then(p.resolve, p.reject);
      }
    }
  }
}
