#!/usr/bin/env node
// `npx cdktf <command>` (package.json "bin"): commands/cdktf.ts, transpiled as `npm run synth` does.
require('../synth/register.js');
require('./cdktf.ts')
  .main(process.argv.slice(2))
  .then((code) => process.exit(code));
