import { open, readFile, rename, mkdir, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { parsePolicySnapshot, PolicyIndex, type PolicySnapshot } from '@smarthost/relay-policy';

export interface CachedPolicy {
  index: PolicyIndex;
  /** When this snapshot was last confirmed current with the API: staleness counts from here after a restart. */
  syncedAt: number;
}

interface CacheFileContent {
  syncedAt: string;
  snapshot: PolicySnapshot;
}

/** Null when there is no cache file. A file that does not parse is an error: the caller logs it and starts empty. */
export async function readPolicyCache(path: string): Promise<CachedPolicy | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const content = JSON.parse(text) as Partial<CacheFileContent>;
  const syncedAt = Date.parse(String(content.syncedAt));
  if (!Number.isFinite(syncedAt)) throw new Error(`policy cache ${path}: syncedAt missing or invalid`);
  return { index: PolicyIndex.fromSnapshot(parsePolicySnapshot(content.snapshot)), syncedAt };
}

/**
 * Writes the snapshot so that a crash at any moment leaves either the old or the new file, never a torn one:
 * write a temporary file in the same directory, fsync it, rename over the target (atomic on POSIX), then
 * fsync the directory so the rename itself survives a power loss.
 */
export async function writePolicyCache(path: string, snapshot: PolicySnapshot, syncedAt: number): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true });
  // Unique per write: two writers (nodes sharing a volume, or in one test process) never share a temp file.
  const temp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const file = await open(temp, 'w', 0o600);
  try {
    for (const piece of cacheFileJson(snapshot, syncedAt)) await file.write(piece);
    await file.sync();
  } finally {
    await file.close();
  }
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  const directory = await open(dir, 'r');
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

const ENTITIES_PER_PIECE = 2000;

/**
 * The cache file's JSON (`CacheFileContent`) in pieces of a few thousand entities: a policy of 400,000 entities is
 * over 100 MB of JSON, and one JSON.stringify of it would hold the event loop for seconds — every SMTP session and
 * the policy long-poll with it, so a change arriving meanwhile would wait. Written piece by piece, the loop runs
 * between the writes. The snapshot's arrays are a copy taken at call time and entities are replaced, not mutated,
 * so later deltas do not change what is written.
 */
export function* cacheFileJson(snapshot: PolicySnapshot, syncedAt: number): Generator<string> {
  yield `{"syncedAt":${JSON.stringify(new Date(syncedAt).toISOString())},"snapshot":{`;
  let first = true;
  for (const [key, value] of Object.entries(snapshot)) {
    const head = `${first ? '' : ','}${JSON.stringify(key)}:`;
    first = false;
    if (!Array.isArray(value)) {
      yield head + JSON.stringify(value);
      continue;
    }
    yield `${head}[`;
    for (let at = 0; at < value.length; at += ENTITIES_PER_PIECE) {
      const piece = JSON.stringify(value.slice(at, at + ENTITIES_PER_PIECE));
      yield (at === 0 ? '' : ',') + piece.slice(1, -1);
    }
    yield ']';
  }
  yield '}}';
}
