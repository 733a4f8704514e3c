import { createReadStream } from 'node:fs';
import { open, rename, mkdir, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import { parsePolicySnapshot, PolicyIndex, PolicySnapshotReader, type PolicySnapshot } from '@smarthost/relay-policy';

export interface CachedPolicy {
  index: PolicyIndex;
  /** When this snapshot was last confirmed current with the API: staleness counts from here after a restart. */
  syncedAt: number;
}

/**
 * The file is the snapshot document itself with one more member, `syncedAt` (written first), so it is read like a
 * pulled snapshot: streamed from disk straight into the index, never held whole (see PolicySnapshotReader). Files of
 * the previous release, `{"syncedAt": …, "snapshot": {…}}`, are still read, the old way.
 */
interface LegacyCacheFileContent {
  syncedAt: string;
  snapshot: PolicySnapshot;
}

/** Null when there is no cache file. A file that does not parse is an error: the caller logs it and starts empty. */
export async function readPolicyCache(path: string): Promise<CachedPolicy | null> {
  let syncedAtValue: unknown;
  let legacy: string | undefined;
  const reader = new PolicySnapshotReader({
    otherMember: (key, json) => {
      if (key === 'syncedAt') syncedAtValue = JSON.parse(json);
      else if (key === 'snapshot') legacy = json;
    },
  });
  try {
    for await (const chunk of createReadStream(path)) reader.push(chunk as Buffer);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const syncedAt = Date.parse(String(syncedAtValue));
  if (!Number.isFinite(syncedAt)) throw new Error(`policy cache ${path}: syncedAt missing or invalid`);
  if (legacy !== undefined) {
    const content = { snapshot: JSON.parse(legacy) } as Partial<LegacyCacheFileContent>;
    return { index: PolicyIndex.fromSnapshot(parsePolicySnapshot(content.snapshot)), syncedAt };
  }
  return { index: reader.finish(), syncedAt };
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
 * The cache file's JSON in pieces of a few thousand entities: a policy of 400,000 entities is over 100 MB of JSON,
 * and one JSON.stringify of it would hold the event loop for seconds — every SMTP session and the policy long-poll
 * with it, so a change arriving meanwhile would wait. Written piece by piece, the loop runs between the writes. The
 * snapshot's arrays are a copy taken at call time and entities are replaced, not mutated, so later deltas do not
 * change what is written.
 */
export function* cacheFileJson(snapshot: PolicySnapshot, syncedAt: number): Generator<string> {
  yield `{"syncedAt":${JSON.stringify(new Date(syncedAt).toISOString())}`;
  for (const [key, value] of Object.entries(snapshot)) {
    const head = `,${JSON.stringify(key)}:`;
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
  yield '}';
}
