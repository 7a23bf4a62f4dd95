#!/usr/bin/env node
// Node 24 runs the TypeScript sources directly (type stripping); see docs/playbooks.md.
import module from 'node:module';

// Older Nodes cannot load the .ts sources and would fail with a loader error instead.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`harbor-kb needs Node.js 24 or later (this is ${process.version}); the single-file playbooks on the site run on Node 20.\n`);
  process.exit(2);
}

// Later runs reuse the compiled sources: the CLI starts about twice as fast.
module.enableCompileCache?.();
// `harbor-kb doctor ... | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});
const { main } = await import('../src/cli/main.ts');

process.exitCode = await main(process.argv.slice(2));
