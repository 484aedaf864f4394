#!/usr/bin/env node
// The command's entry point: it checks the Node.js version before loading anything that needs a newer
// one (undici 8 and the engine fail on Node 20 with a stack trace that names neither the cause nor the fix).
const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(
    `ocrkit needs Node.js 22.19 or later; this is ${process.version}. Install a current Node.js, or run it ` +
      'through npx, e.g. npx -p node@24 -p ocrkit ocrkit --help\n',
  );
  process.exitCode = 1;
} else {
  await import('./cli.js');
}
