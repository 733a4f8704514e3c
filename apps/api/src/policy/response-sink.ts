import type { Response } from 'express';
import type { SnapshotSink } from './snapshot-builder';

/** The client closed the connection mid-stream: nothing to answer, nothing to report. */
export class ClientGoneError extends Error {
  constructor() {
    super('client closed the connection');
    this.name = 'ClientGoneError';
  }
}

/** A snapshot sink over an HTTP response that waits for the socket to drain, so memory stays at one page. */
export function responseSink(response: Response): SnapshotSink {
  return {
    begin(version) {
      response.status(200).type('application/json').setHeader('x-policy-version', String(version));
    },
    async write(chunk) {
      if (response.destroyed) throw new ClientGoneError();
      if (response.write(chunk)) return;
      await new Promise<void>((resolve) => {
        const done = () => {
          response.off('drain', done);
          response.off('close', done);
          resolve();
        };
        response.on('drain', done);
        response.on('close', done);
      });
      if (response.destroyed) throw new ClientGoneError();
    },
  };
}

/** Aborts when the client disconnects before the response is complete (a long-poll the node gave up on). */
export function abortOnClose(response: Response): AbortSignal {
  const controller = new AbortController();
  response.on('close', () => {
    if (!response.writableFinished) controller.abort();
  });
  return controller.signal;
}
