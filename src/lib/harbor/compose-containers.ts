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
  // Harbor 1.5's own databases of notary and clair (make/docker-compose.notary.tpl and
  // docker-compose.clair.tpl at v1.5.0); clair's adapter from 1.10 to 2.1.
  'notary-db',
  'clair',
  'clair-db',
  'clair-adapter',
  'chartmuseum',
] as const;

/**
 * Every container a compose install may run, each after everything it `depends_on` in Harbor's
 * compose templates (make/docker-compose.tpl up to 1.7, then
 * make/photon/prepare/templates/docker_compose/docker-compose.yml.jinja): harbor-log first,
 * because the others' syslog logging driver dials it; the database and redis; the registry;
 * adminserver and ui (1.5-1.6) or core; portal (it depended on core in 1.7); jobservice (on
 * core and redis); the optional services, each after its own database where it had one (Harbor
 * 1.5's notary-db and clair-db, make/docker-compose.notary.tpl and docker-compose.clair.tpl at
 * v1.5.0; from 1.6 they use harbor-db); nginx (proxy) last, since it resolves registry, core and
 * portal when it starts.
 */
export const COMPOSE_START_ORDER = [
  'harbor-log',
  COMPOSE_COMPONENT_CONTAINERS.database,
  'redis',
  COMPOSE_COMPONENT_CONTAINERS.registry,
  'registryctl',
  'harbor-adminserver',
  'harbor-ui',
  COMPOSE_COMPONENT_CONTAINERS.core,
  'harbor-portal',
  COMPOSE_COMPONENT_CONTAINERS.jobservice,
  'notary-db',
  'notary-signer',
  'notary-server',
  'clair-db',
  'clair',
  'clair-adapter',
  'trivy-adapter',
  'chartmuseum',
  'harbor-exporter',
  'nginx',
] as const;
