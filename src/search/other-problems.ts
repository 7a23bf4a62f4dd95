/**
 * Well-known Harbor errors this knowledge base has no page for. A paste that carries one of
 * them (and no signature of ours) is answered "this is another problem", not with the page
 * whose words come nearest: without this list an upgrade-path message ("please upgrade to
 * version 1.10 first") lands on the downgrade page because both say "failed to migrate".
 *
 * None of these is among the problems pages are being written for (test/search/corpus/PROBLEMS.md):
 * a problem that gets a page must leave this list, or its page could never be found.
 * Patterns run case-insensitively on the raw paste.
 */
import type { Lang } from '../schemas/issue.ts';

export interface OtherProblem {
  pattern: string;
  /** What the problem is, in each site language. */
  what: Record<Lang, string>;
  /** A public thread where it is discussed. */
  source: string;
}

export const OTHER_PROBLEMS: readonly OtherProblem[] = [
  {
    pattern: 'please upgrade to version [0-9.]+ first',
    what: { en: 'an upgrade that skips releases Harbor must migrate through', zh: '跨越了必须逐级迁移的版本升级' },
    source: 'https://github.com/goharbor/harbor/issues/13398',
  },
  {
    pattern: 'relation "?schema_migrations"? does not exist|column "?data_version"? does not exist',
    what: { en: 'a database that is not the one this Harbor release migrated', zh: '数据库与该 Harbor 版本的迁移记录不符' },
    source: 'https://github.com/goharbor/harbor/issues/10978',
  },
  {
    pattern: 'loadSystemConfigFromEnv failed|parse REGISTRY_HTTP_CLIENT_TIMEOUT|loading data item, key|value can not be empty',
    what: { en: 'a configuration item that is empty or cannot be parsed', zh: '某个配置项为空或无法解析' },
    source: 'https://github.com/goharbor/harbor/issues/11022',
  },
  {
    pattern: '413 Request Entity Too Large|HTTP 413 response',
    what: { en: 'a proxy or ingress in front of Harbor that limits the request body size', zh: 'Harbor 前面的代理或 Ingress 限制了请求体大小' },
    source: 'https://github.com/goharbor/harbor/issues/15823',
  },
  {
    pattern: 'CSRF token invalid',
    what: { en: 'the portal’s CSRF check (often HTTP, a proxy or several core replicas)', zh: '门户的 CSRF 校验失败(常见于 HTTP 访问、代理或多副本 core)' },
    source: 'https://github.com/goharbor/harbor/issues/12676',
  },
  {
    pattern: 'failed to download vulnerability DB|running trivy wrapper',
    what: { en: 'the Trivy scanner’s vulnerability database download', zh: 'Trivy 扫描器下载漏洞库失败' },
    source: 'https://github.com/goharbor/harbor/issues/13354',
  },
  {
    pattern: 'API rate limit exceeded|toomanyrequests|429 -- |returns 429',
    what: { en: 'a rate limit of the upstream registry (Docker Hub, GitHub)', zh: '上游仓库(Docker Hub、GitHub)的访问频率限制' },
    source: 'https://github.com/goharbor/harbor/issues/21267',
  },
  {
    pattern: 'server gave HTTP response to HTTPS client',
    what: {
      en: 'a Docker client that expects HTTPS from a Harbor served over HTTP (insecure-registries)',
      zh: 'Harbor 使用 HTTP 而 Docker 客户端按 HTTPS 访问(insecure-registries)',
    },
    source: 'https://github.com/goharbor/harbor/issues/13150',
  },
  {
    pattern: 'blob upload unknown|blob unknown to registry.{0,40}(replicas|push)|(replicas|push).{0,60}blob unknown to registry',
    what: { en: 'a push through several registry replicas that do not share upload state', zh: '推送经过多个不共享上传状态的 registry 副本' },
    source: 'https://github.com/goharbor/harbor-helm/issues/839',
  },
  {
    pattern: 'require redis lock failed|redigo: nil returned',
    what: { en: 'the quota handler’s Redis lock', zh: '配额处理中的 Redis 锁' },
    source: 'https://github.com/goharbor/harbor/issues/10862',
  },
  {
    pattern: 'violates foreign key constraint "?task_execution_id_fkey',
    what: { en: 'the execution sweep tripping over a foreign key', zh: '执行记录清理触发外键约束' },
    source: 'https://github.com/goharbor/harbor/issues/20624',
  },
  {
    pattern: 'token signing root certificate|failed to read private key|open /etc/core/(private_key|key)',
    what: { en: 'the token-signing key or certificate core and registry share', zh: 'core 与 registry 共用的令牌签名密钥或证书' },
    source: 'https://github.com/goharbor/harbor/issues/9250',
  },
  {
    pattern: 'A secret key is required',
    what: { en: 'a Helm chart value that must be set (a secret key)', zh: 'Helm Chart 中必须设置的密钥值' },
    source: 'https://github.com/bitnami/charts/issues/2821',
  },
  {
    pattern: 'unlinkat .{0,200}directory not empty',
    what: { en: 'the registry’s storage driver failing to remove an upload directory', zh: 'registry 存储驱动无法删除上传目录' },
    source: 'https://github.com/goharbor/harbor/issues/20466',
  },
  {
    pattern: 'failed to ping endpoint',
    what: { en: 'a replication endpoint Harbor cannot reach or authenticate to', zh: '复制目标端点无法连接或认证' },
    source: 'https://github.com/goharbor/harbor/issues/20277',
  },
  {
    pattern: 'failed to verify id token|oauth2: |refresh_token is not supported',
    what: { en: 'OIDC sign-in', zh: 'OIDC 登录' },
    source: 'https://github.com/goharbor/harbor/issues/20051',
  },
  {
    pattern: 'downgrade from [0-9.]+ to [0-9.]+ is not allowed',
    what: { en: 'the Harbor operator refusing a version downgrade', zh: 'Harbor Operator 拒绝降级' },
    source: 'https://github.com/goharbor/harbor-operator/issues/943',
  },
];

/** Where the search page fetches the catalogue with its text (src/pages/other-problems.json.ts). */
export const OTHER_PROBLEMS_URL = '/other-problems.json';

/** The patterns, in catalogue order: all the search page carries until one matches. */
export const otherProblemPatterns = (): string[] => OTHER_PROBLEMS.map((problem) => problem.pattern);
