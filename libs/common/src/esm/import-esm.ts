import { randomUUID } from 'node:crypto';

/**
 * A real dynamic `import()` for ESM-only packages (oidc-provider, oauth4webapi, ...). SWC's
 * CommonJS output turns a literal `import()` into `require()`, which Jest's module runtime
 * cannot do for ESM; a `Function`-built `import()` escapes the transform (Node, and Jest
 * under --experimental-vm-modules).
 *
 * The source carries a unique comment: V8 caches functions compiled from identical source,
 * and under Jest a cached one keeps the dynamic-import handler of the test file that first
 * compiled it, which fails ("environment has been torn down") in every later file of the
 * same worker. Each module evaluation (each test file) compiles its own.
 */
export const importEsm = new Function(
  'specifier',
  `return import(specifier); // ${randomUUID()}`,
) as <T>(specifier: string) => Promise<T>;
