/**
 * `node -r ./scripts/register.js main.ts`: runs the TypeScript sources as ts-node's
 * transpile-only mode does, but keeps each file's JavaScript in node_modules/.cache, keyed by
 * its content, so that TypeScript itself is loaded only when a source changed. Transpiling on
 * every run was most of a single-account synth (see docs/BENCHMARKS.md). Type checking is
 * `npm test`'s job (`tsc --noEmit`), as with ts-node's transpile-only mode.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'datadog-cloudtrail');
const TYPESCRIPT_VERSION = require('typescript/package.json').version;
let typescript;
let compilerOptions;

function transpile(source, filename) {
  if (!typescript) {
    typescript = require('typescript');
    const { config } = typescript.readConfigFile(path.join(ROOT, 'tsconfig.json'), typescript.sys.readFile);
    compilerOptions = typescript.convertCompilerOptionsFromJson(config.compilerOptions, ROOT).options;
  }
  return typescript.transpileModule(source, { compilerOptions, fileName: filename }).outputText;
}

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha256').update(TYPESCRIPT_VERSION).update(filename).update(source).digest('hex');
  const cached = path.join(CACHE, `${key}.js`);
  let code;
  try {
    code = fs.readFileSync(cached, 'utf8');
  } catch {
    code = transpile(source, filename);
    fs.mkdirSync(CACHE, { recursive: true });
    fs.writeFileSync(cached, code);
  }
  module._compile(code, filename);
};
