// The import graph's rules, checked by `npm run lint:deps` (and scripts/test.sh).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'A cycle makes the load order decide behaviour; type-only imports count too, since they tie modules together just the same.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'platform-not-on-playbooks',
      severity: 'error',
      comment: 'The playbook platform (src/playbook) is what playbooks are built on: it takes the list of playbooks from its caller instead of importing it.',
      from: { path: '^src/playbook/', pathNot: '\\.test\\.ts$' },
      to: { path: '^playbooks/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^astro:' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.astro)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.mjs', '.js', '.astro', '.json'],
      exportsFields: ['exports'],
      conditionNames: ['import', 'types', 'node', 'default'],
    },
  },
};
