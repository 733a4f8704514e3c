import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';

export type SchemaEngineClass = typeof SchemaEngine;

/** The part of the WebAssembly global we use; lib ES2023 and @types/node 20 do not declare it. */
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: Record<string, object>): Promise<{ instance: { exports: Record<string, unknown> } }>;
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let loading: Promise<SchemaEngineClass> | undefined;

/**
 * The Prisma schema engine compiled to WebAssembly, instantiated once per process.
 *
 * The package's entry does `import * as wasm from "./schema_engine_bg.wasm"`, which Node 20 cannot
 * load, so we instantiate the module ourselves and hand its exports to the JS glue, which is what
 * that entry would have done. Loaded lazily: apps that only query never pay for it.
 */
export function loadSchemaEngine(): Promise<SchemaEngineClass> {
  loading ??= instantiate();
  return loading;
}

async function instantiate(): Promise<SchemaEngineClass> {
  const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
  const wasmPath = join(dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg')), 'schema_engine_bg.wasm');
  const { instance } = await wasmApi.instantiate(await readFile(wasmPath), { './schema_engine_bg.js': glue });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports['__wbindgen_start'] as () => void)();
  return glue.SchemaEngine;
}
