import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import * as bindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Node provides WebAssembly globally; its types live in TypeScript's DOM lib, which this
// project does not load, so the two constructors used here are declared.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
};

let loaded = false;

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
  const instance = new WebAssembly.Instance(module, {
    './schema_engine_bg.js': bindings,
  });
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
  const engine = await SchemaEngine.new({ datamodels }, (line: string) => logs.push(line), bindMigrationAwareSqlAdapterFactory(adapter));
  try {
    return await work(engine);
  } catch (error) {
    if (error instanceof Error) throw error;
    throw new SchemaEngineError(typeof error === 'string' ? error : JSON.stringify(error), { cause: logs });
  } finally {
    engine.free();
  }
}
