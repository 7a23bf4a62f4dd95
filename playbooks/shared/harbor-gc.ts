/**
 * Which databases Harbor's own garbage collection works on: the GC of 2.1 and later decides from
 * project_blob and moves blob.status (delete, deleting, deletefailed); 2.0 and earlier still ran
 * the registry's. The GC playbooks read that state and refuse any other database.
 */
import type { HarborDetection } from '../../src/playbook/sql/harbor-version.ts';

/** 0040_2.1.0 added blob.status, update_time and version: the columns Harbor's own GC works with. */
const FIRST_GC_SCHEMA = 40;

export const runsHarborsOwnGc = (harbor: HarborDetection): boolean => harbor.engine === 'postgresql' && (harbor.schemaVersion ?? 0) >= FIRST_GC_SCHEMA;
