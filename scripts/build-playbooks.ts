// npm run build:playbooks — the single-file playbooks without the site: dist/playbooks/<name>.mjs.
import { buildPlaybookBundles } from '../src/playbook/bundle.ts';

for (const file of await buildPlaybookBundles('dist/playbooks')) console.log(file);
