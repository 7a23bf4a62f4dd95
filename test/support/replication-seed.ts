// Stuck replication work in each era's tables: policy 1 is the one to stop; policy 2 and a
// garbage-collection execution are stuck too but out of scope. Shared by the playbook tests.
import type { Era } from './harbor-schema.ts';

export type Layout = 'replication_job' | 'replication_execution' | 'task';
// 1.8 (0004) added replication_execution/replication_task; 2.2.0 (0050) moved them onto execution/task.
export const layoutOf = (era: Era): Layout =>
  era === '1.5.0' || era === '1.7.8' ? 'replication_job' : era.startsWith('1.') || era === '2.1.6' ? 'replication_execution' : 'task';

/** When the stuck work last changed: long before the playbooks' default --older-than (24h). The syntax reads the same in PostgreSQL and MariaDB. */
const OLD = `LOCALTIMESTAMP - INTERVAL '3' DAY`;

// Policy 1 is stuck; policy 2 and a GC execution are stuck too but out of scope.
export const SEED: Record<Layout, string[]> = {
  replication_job: [
    `INSERT INTO replication_policy (id, name, project_id, target_id) VALUES (1, 'stuck', 1, 1), (2, 'other', 1, 1)`,
    `INSERT INTO replication_job (policy_id, repository, operation, status, creation_time, update_time) VALUES
      (1, 'library/a', 'transfer', 'pending', ${OLD}, ${OLD}), (1, 'library/b', 'transfer', 'running', ${OLD}, ${OLD}), (1, 'library/c', 'transfer', 'retrying', ${OLD}, ${OLD}),
      (1, 'library/d', 'transfer', 'finished', ${OLD}, ${OLD}), (1, 'library/e', 'transfer', 'error', ${OLD}, ${OLD}), (1, 'library/f', 'transfer', 'stopped', ${OLD}, ${OLD}),
      (2, 'library/g', 'transfer', 'pending', ${OLD}, ${OLD}), (2, 'library/h', 'transfer', 'running', ${OLD}, ${OLD}),
      (1, '', 'schedule', 'scheduled', ${OLD}, ${OLD})`,
  ],
  replication_execution: [
    `INSERT INTO replication_policy (id, name) VALUES (1, 'stuck'), (2, 'other')`,
    // Execution 4 never got a task; task 8 is a 1.x 'retrying' job that 0004_1.8.0 carried over as it was.
    `INSERT INTO replication_execution (id, policy_id, status, total, in_progress, succeed, start_time) VALUES
      (1, 1, 'InProgress', 6, 4, 1, ${OLD}), (2, 1, 'Succeed', 1, 0, 1, ${OLD}), (3, 2, 'InProgress', 1, 1, 0, ${OLD}), (4, 1, 'InProgress', 0, 0, 0, ${OLD})`,
    `INSERT INTO replication_task (execution_id, status, start_time) VALUES
      (1, 'InProgress', ${OLD}), (1, 'Pending', ${OLD}), (1, 'Initialized', ${OLD}), (1, 'Succeed', ${OLD}), (1, 'Failed', ${OLD}), (2, 'Succeed', ${OLD}), (3, 'InProgress', ${OLD}), (1, 'retrying', ${OLD})`,
  ],
  task: [
    `INSERT INTO replication_policy (id, name) VALUES (1, 'stuck'), (2, 'other')`,
    `INSERT INTO execution (id, vendor_type, vendor_id, status, trigger, start_time, update_time) VALUES (1, 'REPLICATION', 1, 'Running', 'MANUAL', ${OLD}, ${OLD}),
      (2, 'REPLICATION', 1, 'Success', 'MANUAL', ${OLD}, ${OLD}), (3, 'REPLICATION', 2, 'Running', 'MANUAL', ${OLD}, ${OLD}), (4, 'GARBAGE_COLLECTION', 1, 'Running', 'MANUAL', ${OLD}, ${OLD})`,
    `INSERT INTO task (execution_id, status, status_code, vendor_type, creation_time, update_time) VALUES (1, 'Running', 2, 'REPLICATION', ${OLD}, ${OLD}), (1, 'Pending', 0, 'REPLICATION', ${OLD}, ${OLD}),
      (1, 'Scheduled', 1, 'REPLICATION', ${OLD}, ${OLD}), (1, 'Success', 3, 'REPLICATION', ${OLD}, ${OLD}), (1, 'Error', 3, 'REPLICATION', ${OLD}, ${OLD}), (2, 'Success', 3, 'REPLICATION', ${OLD}, ${OLD}),
      (3, 'Running', 2, 'REPLICATION', ${OLD}, ${OLD}), (4, 'Running', 2, 'GARBAGE_COLLECTION', ${OLD}, ${OLD})`,
  ],
};

/** The ids --policy 1 must change, per table; nothing else may change. */
export const TARGETED: Record<Layout, Record<string, number[]>> = {
  replication_job: { replication_job: [1, 2, 3] },
  // Harbor derives execution 1's status from its tasks: only the task-less execution 4 changes.
  replication_execution: { replication_execution: [4], replication_task: [1, 2, 3, 8] },
  task: { execution: [1], task: [1, 2, 3] },
};
