// A JSON schema's validator as code, for `npm run gen`: Ajv compiles the
// schema at build time into a standalone ES module, so no page ships Ajv or
// compiles a schema while it runs (the boot manifest's checker,
// packages/boot/scripts/manifest-validator.ts; the scenario checker's,
// packages/scenario/scripts/scenario-validator.ts). Ajv's standalone code
// names its runtime helpers with require() even as an ES module; they
// become imports of the same files. Each caller has a staleness test that
// compares the committed file with this function's output. Ajv comes from
// the caller (each package depends on its own: the repository's root has an
// older one, the linter's).

import { readFileSync } from 'node:fs';

/** The part of Ajv this needs: a compiler made with `code: { source, esm }`, and its standalone code generator. */
export interface AjvTools<A> {
  ajv: A & { compile(schema: object): unknown };
  standalone(ajv: A, validate: never): string;
}

/** The module's text for this schema file: a header naming its generator, then Ajv's code. */
export function standaloneValidatorSource<A>(schemaFile: string, tools: AjvTools<A>, header: string): string {
  const schema = JSON.parse(readFileSync(schemaFile, 'utf8')) as object;
  const imports: string[] = [];
  const code = tools.standalone(tools.ajv, tools.ajv.compile(schema) as never).replace(/require\("(ajv\/dist\/runtime\/[a-z0-9]+)"\)\.default/g, (_, path: string) => {
    const name = `runtime${imports.length}`;
    imports.push(`import ${name} from "${path}.js";`);
    return `(${name}.default ?? ${name})`;
  });
  if (/\brequire\(/.test(code)) throw new Error(`the validator of ${schemaFile} requires a module this script does not turn into an import`);
  return `// ${header}; do not edit.\n/* eslint-disable */\n${imports.join('\n')}\n${code.replace(/^"use strict";/, '')}\n`;
}
