/**
 * `config/types.ts`, generated from `config/schema.json` by json-schema-to-typescript, so that
 * field names, enums and which fields may be left out exist in one place: the schema. Written
 * by `npm run docs`; a test fails when the file is stale. Run directly, it prints the file.
 */
import { compile } from 'json-schema-to-typescript';
import * as ts from 'typescript';
import schema from '../config/schema.json';
import { runCommand } from '../commands/cli';

const BANNER = `/**
 * The config file's shape, generated from config/schema.json by \`npm run docs\`
 * (json-schema-to-typescript): do not edit. Optional fields are the ones a user may leave out;
 * \`ResolvedConfig\` (resolve.ts) is what the rest of the code sees.
 */`;

export async function configTypes(): Promise<string> {
  const source = await compile(structuredClone(schema) as Parameters<typeof compile>[0], 'Config', {
    bannerComment: BANNER,
    additionalProperties: false,
    // `accounts` has minItems 1: a tuple type would refuse every array built in code.
    ignoreMinAndMaxItems: true,
    unreachableDefinitions: true,
    // Definitions are named by their titles ("Trail settings": TrailSettings); the root is Config.
    customName: (definition) => (definition.title === schema.title ? 'Config' : undefined),
    // Prettier, which would format the output, loads through a dynamic import jest cannot run.
    format: false,
  });
  // Indented by TypeScript's own printer instead.
  return ts.createPrinter().printFile(ts.createSourceFile('types.ts', source, ts.ScriptTarget.Latest, true));
}

if (require.main === module) {
  runCommand({ name: 'docs', usage: 'Usage: ts-node tools/config-types.ts\n\nPrints config/types.ts as config/schema.json gives it.\n', options: {} }, async () => {
    process.stdout.write(await configTypes());
    return 0;
  });
}
