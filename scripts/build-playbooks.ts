// npm run build:playbooks — the single-file playbooks without the site: dist/playbooks/<name>.mjs.
import { playbooks } from '../playbooks/all.ts';
import { buildPlaybookBundles } from '../src/playbook/bundle/bundle.ts';

for (const file of await buildPlaybookBundles('dist/playbooks', playbooks)) console.log(file);
