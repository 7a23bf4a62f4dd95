/**
 * Container names of Harbor's docker-compose installs, from 1.5 to 2.x (the compose templates of
 * make/photon/prepare): the one place both the playbooks' compose target and the doctor read them.
 */

/** The components a playbook reaches, by their container. */
export const COMPOSE_COMPONENT_CONTAINERS = { core: 'harbor-core', jobservice: 'harbor-jobservice', registry: 'registry', database: 'harbor-db' } as const;

/** Every container a Harbor compose install may run, in the order the doctor reports their logs. */
export const COMPOSE_LOG_CONTAINERS = [
  COMPOSE_COMPONENT_CONTAINERS.core,
  COMPOSE_COMPONENT_CONTAINERS.jobservice,
  COMPOSE_COMPONENT_CONTAINERS.registry,
  'registryctl',
  COMPOSE_COMPONENT_CONTAINERS.database,
  'harbor-portal',
  'nginx',
  'redis',
  'harbor-adminserver',
  'harbor-ui',
  'trivy-adapter',
  'harbor-exporter',
  'notary-server',
  'notary-signer',
  'clair',
  'chartmuseum',
] as const;
