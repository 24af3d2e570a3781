import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Node provides WebAssembly globally; its types live in TypeScript's DOM lib, which this
// project does not load, so the two constructors used here are declared.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (
    module: object,
    imports: Record<string, Record<string, unknown>>,
  ) => { exports: Record<string, unknown> };
};

let loaded = false;
let running = 0;
const engineTimers = new Set<NodeJS.Timeout>();

/**
 * The engine arms 10 s timers (its lock and connection timeouts) and has no way to clear
 * them, so they would keep the process alive after the work is done: they are tracked
 * and cleared once no engine is running.
 */
function trackedSetTimeout(callback: () => void, ms: number): NodeJS.Timeout {
  const timer = setTimeout(() => {
    engineTimers.delete(timer);
    callback();
  }, ms >>> 0);
  engineTimers.add(timer);
  return timer;
}

/**
 * Instantiates Prisma's schema engine compiled to WebAssembly. The package's entry point
 * imports its `.wasm` file directly, which Node cannot do, so the JavaScript glue is
 * imported alone and the module is instantiated here by hand (the glue is the wasm's
 * only import namespace).
 */
function loadBindings(): typeof bindings {
  if (loaded) return bindings;
  const packageDir = dirname(require.resolve('@prisma/schema-engine-wasm/schema_engine_bg'));
  const module = new WebAssembly.Module(readFileSync(join(packageDir, 'schema_engine_bg.wasm')));
  const imports: Record<string, unknown> = { ...bindings };
  for (const name of Object.keys(imports)) {
    if (name.startsWith('__wbg_setTimeout_')) imports[name] = trackedSetTimeout;
  }
  const instance = new WebAssembly.Instance(module, { './schema_engine_bg.js': imports });
  bindings.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  loaded = true;
  return bindings;
}

export class SchemaEngineError extends Error {
  override readonly name = 'SchemaEngineError';
}

/** Runs `work` with a schema engine bound to a driver adapter, and frees it afterwards. */
export async function withSchemaEngine<T>(
  adapter: SqlMigrationAwareDriverAdapterFactory,
  datamodels: [string, string][] | undefined,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const { SchemaEngine } = loadBindings();
  const logs: string[] = [];
  running += 1;
  try {
    const engine = await SchemaEngine.new(
      { datamodels },
      (line: string) => logs.push(line),
      bindMigrationAwareSqlAdapterFactory(adapter),
    );
    try {
      return await work(engine);
    } finally {
      engine.free();
    }
  } catch (error) {
    if (error instanceof Error) throw error;
    throw new SchemaEngineError(typeof error === 'string' ? error : JSON.stringify(error), {
      cause: logs,
    });
  } finally {
    running -= 1;
    if (running === 0) {
      for (const timer of engineTimers) clearTimeout(timer);
      engineTimers.clear();
    }
  }
}
