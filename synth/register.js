/**
 * `node -r ./synth/register.js main.ts`: runs the TypeScript sources as ts-node's
 * transpile-only mode does, but keeps each file's JavaScript in node_modules/.cache, keyed by
 * its content, the TypeScript version and tsconfig.json (whose compiler options shape the
 * output), so that TypeScript itself is loaded only when one of them changed. Transpiling on
 * every run was most of a single-account synth (see docs/BENCHMARKS.md). Type checking is
 * `npm test`'s job (`tsc --noEmit`), as with ts-node's transpile-only mode.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.join(__dirname, '..');
const CACHE = path.join(ROOT, 'node_modules', '.cache', 'datadog-cloudtrail');
const TSCONFIG = path.join(ROOT, 'tsconfig.json');
const TYPESCRIPT_VERSION = require('typescript/package.json').version;
let typescript;
let compilerOptions;
let tsconfigText;

function transpile(source, filename) {
  if (!typescript) {
    typescript = require('typescript');
    const { config } = typescript.readConfigFile(TSCONFIG, typescript.sys.readFile);
    compilerOptions = typescript.convertCompilerOptionsFromJson(config.compilerOptions, ROOT).options;
  }
  return typescript.transpileModule(source, { compilerOptions, fileName: filename }).outputText;
}

/** The cache entry's name for a source file: a hash of everything its JavaScript depends on. */
function cacheKey({ typescriptVersion, tsconfig, filename, source }) {
  const tsconfigDigest = crypto.createHash('sha256').update(tsconfig).digest('hex');
  return crypto.createHash('sha256').update(typescriptVersion).update('\0').update(tsconfigDigest).update('\0').update(filename).update('\0').update(source).digest('hex');
}

/**
 * Writes `content` to `file` so that no reader ever sees a partial file: into a temporary file
 * of the same directory (rename is atomic only within one file system), then renamed over
 * `file`. Two synths transpiling the same source at once then each leave a whole entry.
 */
function writeAtomically(file, content) {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  try {
    fs.writeFileSync(temporary, content);
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  tsconfigText ??= fs.readFileSync(TSCONFIG);
  const key = cacheKey({ typescriptVersion: TYPESCRIPT_VERSION, tsconfig: tsconfigText, filename, source });
  const cached = path.join(CACHE, `${key}.js`);
  let code;
  try {
    code = fs.readFileSync(cached, 'utf8');
  } catch {
    code = transpile(source, filename);
    fs.mkdirSync(CACHE, { recursive: true });
    writeAtomically(cached, code);
  }
  module._compile(code, filename);
};

module.exports = { cacheKey, writeAtomically };
