import { availableParallelism } from 'node:os';

/**
 * Sizes libuv's thread pool before its first use (libuv reads UV_THREADPOOL_SIZE once, when the first job is
 * queued), unless the operator set it. Imported first by the process entry points, for its side effect.
 *
 * The pool runs the worker's RSA signatures. libuv's default of 4 threads, on a host with fewer spare cores, lets
 * the signing threads preempt the event loop that drives every SMTP session and Redis command of the process; one
 * core is left to the loop instead. getaddrinfo runs there too, so the one name the worker would look up per message
 * (a relayhost) is cached (delivery/next-hops.ts systemAddresses); the others (API and Redis host names) are asked
 * rarely. bench:delivery on 2 cores, one worker, alternating runs: 1 thread ~2,650-2,700 msg/s, 2 threads
 * ~2,330-2,410, libuv's 4 ~1,860 (before other changes). One thread signs ~4,000 RSA-2048 messages a second, more
 * than one event loop delivers.
 */
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(1, availableParallelism() - 1));
