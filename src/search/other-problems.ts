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
import { SEPARATOR } from './facts.ts';
import { fetchGzipped, inflatedText } from './gzipped.ts';

export interface OtherProblem {
  pattern: string;
  /** What the problem is, in each site language. */
  what: Record<Lang, string>;
  /** A public thread where it is discussed. */
  source: string;
}

export const OTHER_PROBLEMS: readonly OtherProblem[] = [
  {
    pattern: 'upgrade to version [\\d.]+ first',
    what: { en: 'an upgrade that skips releases Harbor must migrate through', zh: '跨越了必须逐级迁移的版本升级' },
    source: 'https://github.com/goharbor/harbor/issues/13398',
  },
  {
    pattern: '(schema_migrations|data_version)"? does not exist',
    what: { en: 'a database that is not the one this Harbor release migrated', zh: '数据库与该 Harbor 版本的迁移记录不符' },
    source: 'https://github.com/goharbor/harbor/issues/10978',
  },
  {
    pattern: 'loadSystemConfigFromEnv|parse REGISTRY_HTTP_CLIENT_TIMEOUT|loading data item|value can not be empty',
    what: { en: 'a configuration item that is empty or cannot be parsed', zh: '某个配置项为空或无法解析' },
    source: 'https://github.com/goharbor/harbor/issues/11022',
  },
  {
    pattern: '413 Request Entity|HTTP 413',
    what: { en: 'a proxy or ingress in front of Harbor that limits the request body size', zh: 'Harbor 前面的代理或 Ingress 限制了请求体大小' },
    source: 'https://github.com/goharbor/harbor/issues/15823',
  },
  {
    pattern: 'CSRF token (invalid|not found)',
    what: { en: 'the portal’s CSRF check (often HTTP, a proxy or several core replicas)', zh: '门户的 CSRF 校验失败(常见于 HTTP 访问、代理或多副本 core)' },
    source: 'https://github.com/goharbor/harbor/issues/12676',
  },
  {
    // Before the database download's entry: "running trivy wrapper" starts both messages.
    pattern: 'running trivy: signal: killed',
    what: {
      en: 'the Trivy scanner killed for lack of memory (the adapter container’s memory limit)',
      zh: 'Trivy 扫描器因内存不足被终止(适配器容器的内存限制)',
    },
    source: 'https://github.com/goharbor/harbor/issues/15977',
  },
  {
    pattern: 'download vulnerability DB|running trivy wrapper',
    what: { en: 'the Trivy scanner’s vulnerability database download', zh: 'Trivy 扫描器下载漏洞库失败' },
    source: 'https://github.com/goharbor/harbor/issues/13354',
  },
  {
    pattern: 'rate limit exceeded|toomanyrequests|429 -- |returns 429|code:? 429|HAP429',
    what: { en: 'a rate limit of the upstream registry (Docker Hub, GitHub)', zh: '上游仓库(Docker Hub、GitHub)的访问频率限制' },
    source: 'https://github.com/goharbor/harbor/issues/21267',
  },
  {
    pattern: 'HTTP response to HTTPS client',
    what: {
      en: 'a Docker client that expects HTTPS from a Harbor served over HTTP (insecure-registries)',
      zh: 'Harbor 使用 HTTP 而 Docker 客户端按 HTTPS 访问(insecure-registries)',
    },
    source: 'https://github.com/goharbor/harbor/issues/13150',
  },
  {
    pattern: 'first record does not look like a TLS',
    what: {
      en: 'a client speaking HTTPS to an endpoint served over plain HTTP (a wrong scheme or port)',
      zh: '客户端用 HTTPS 访问只提供 HTTP 的端点(协议或端口写错)',
    },
    source: 'https://github.com/goharbor/harbor/issues/18068',
  },
  {
    pattern: 'blob upload (unknown|invalid)|No HTTP secret|blob unknown to registry.{0,40}(replicas|push)|(replicas|push).{0,60}blob unknown to registry',
    what: { en: 'a push through several registry replicas that do not share upload state', zh: '推送经过多个不共享上传状态的 registry 副本' },
    source: 'https://github.com/goharbor/harbor-helm/issues/839',
  },
  {
    pattern: 'redis lock failed|redigo: nil returned',
    what: { en: 'the quota handler’s Redis lock', zh: '配额处理中的 Redis 锁' },
    source: 'https://github.com/goharbor/harbor/issues/10862',
  },
  {
    pattern: 'task_execution_id_fkey',
    what: { en: 'the execution sweep tripping over a foreign key', zh: '执行记录清理触发外键约束' },
    source: 'https://github.com/goharbor/harbor/issues/20624',
  },
  {
    pattern: 'token signing root cert|failed to read private key|open /etc/core/(private_)?key',
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
    pattern: 'check the existence of (blob|the manifest of) .{1,200} on the destination registry',
    what: {
      en: 'a replication target that answers an error when Harbor asks whether it already holds a blob or manifest (its adapter, credentials or the registry itself)',
      zh: '复制目标在 Harbor 询问是否已有某个 blob 或清单时返回错误(适配器、凭据或目标仓库本身)',
    },
    source: 'https://github.com/goharbor/harbor/issues/12839',
  },
  {
    pattern: 'verify id token|oauth2: |refresh_token is not|invalid_grant|get OIDC token',
    what: { en: 'OIDC sign-in', zh: 'OIDC 登录' },
    source: 'https://github.com/goharbor/harbor/issues/20051',
  },
  {
    pattern: 'State mismatch',
    what: {
      en: 'an OIDC login whose session state was lost between the redirect and the callback (several core replicas, Redis, a second host name)',
      zh: 'OIDC 登录在跳转与回调之间丢失了会话状态(多个 core 副本、Redis、第二个域名)',
    },
    source: 'https://github.com/goharbor/harbor/issues/12982',
  },
  {
    pattern: 'create OIDC provider|get OAuth configuration|provider discovery object',
    what: {
      en: 'an OIDC endpoint Harbor cannot discover (the issuer URL and its .well-known/openid-configuration)',
      zh: 'Harbor 无法发现的 OIDC 端点(issuer 地址及其 .well-known/openid-configuration)',
    },
    source: 'https://github.com/goharbor/harbor/issues/9088',
  },
  {
    pattern: 'parse token error|token is (expired by|not valid yet)',
    what: {
      en: 'a registry token refused for its time: it expired during a long push (token expiration, 30 minutes by default) or the hosts’ clocks disagree',
      zh: '因时间被拒的 registry 令牌:长时间推送中过期(令牌过期时间默认 30 分钟)或主机时钟不一致',
    },
    source: 'https://github.com/goharbor/harbor/issues/18293',
  },
  {
    pattern: 'downgrade from [\\d.]+ to [\\d.]+ is not allowed',
    what: { en: 'the Harbor operator refusing a version downgrade', zh: 'Harbor Operator 拒绝降级' },
    source: 'https://github.com/goharbor/harbor-operator/issues/943',
  },
  {
    pattern: 'LDAP (Result Code|connect fail|::Bind)|bind search dn|ldap search fail|empty base DN|contact LDAP server',
    what: { en: 'the LDAP settings: the search DN, its password, the base DN or the server address', zh: 'LDAP 配置:搜索 DN、其密码、Base DN 或服务器地址' },
    source: 'https://github.com/goharbor/harbor/issues/12295',
  },
  {
    pattern: 'unauthorized to access repository',
    what: {
      en: 'a push or pull by an account without that permission on the project (or to a project that does not exist)',
      zh: '账号在该项目上没有相应权限(或项目不存在)时的推送或拉取',
    },
    source: 'https://github.com/goharbor/harbor/issues/15236',
  },
  {
    pattern: 'access to the resource is denied',
    what: { en: 'a push refused by the registry: no such project, or no push permission on it', zh: '推送被拒绝:项目不存在或没有推送权限' },
    source: 'https://github.com/goharbor/harbor/issues/2383',
  },
  {
    pattern: 'robot\\\\?\\$\\w|authenticate robot',
    what: {
      en: 'a robot account login (the $ in its name must be quoted in a shell or CI variable)',
      zh: '机器人账号登录(其名称中的 $ 在 shell 或 CI 变量里需要转义)',
    },
    source: 'https://github.com/goharbor/harbor/issues/9553',
  },
  {
    pattern: 'configured upper limit|Quota exceeded when|over the quota',
    what: { en: 'a project storage quota that the push would exceed', zh: '推送会超出项目的存储配额' },
    source: 'https://github.com/goharbor/harbor/issues/17390',
  },
  {
    pattern: 'ping redis|redis server timeout|lookup (harbor-)?redis|:6379: (connect|i/o)|redis sub/pub|read schema version failed|ai_socktype',
    what: {
      en: 'Redis that core or jobservice cannot reach (address, password, DNS or network)',
      zh: 'core 或 jobservice 连不上 Redis(地址、密码、DNS 或网络)',
    },
    source: 'https://github.com/goharbor/harbor/issues/18016',
  },
  {
    pattern: 'MISCONF Redis|the RDB file',
    what: { en: 'Redis refusing writes because it cannot save its snapshot (often a full disk)', zh: 'Redis 无法保存快照而拒绝写入(常因磁盘已满)' },
    source: 'https://github.com/goharbor/harbor/issues/16873',
  },
  {
    pattern: 'CROSSSLOT|MOVED \\d+ [\\d.]+:\\d',
    what: {
      en: 'a Redis Cluster, which jobservice does not support (it needs a single Redis or Sentinel)',
      zh: 'jobservice 不支持 Redis Cluster(需要单实例 Redis 或 Sentinel)',
    },
    source: 'https://github.com/goharbor/harbor/issues/4903',
  },
  {
    pattern: 'invalid key size|key.s length has to be',
    what: { en: 'a secret key whose length is not 16 characters (secretKey, /etc/core/key)', zh: '长度不是 16 个字符的密钥(secretKey、/etc/core/key)' },
    source: 'https://github.com/goharbor/harbor/issues/12158',
  },
  {
    pattern: 'decrypt password failed',
    what: { en: 'stored passwords encrypted with a secret key that has since changed', zh: '用已更换的密钥加密的已存密码' },
    source: 'https://github.com/goharbor/harbor-helm/issues/713',
  },
  {
    pattern: 'initialize configurations: http error: code 401',
    what: {
      en: 'core and its peers holding different shared secrets after a Helm upgrade regenerated them',
      zh: 'Helm 升级重新生成共享密钥后 core 与其他组件的密钥不一致',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/115',
  },
  {
    pattern: 'configured as immutable|is immutable, cannot',
    what: { en: 'a tag immutability rule that forbids overwriting or deleting the tag', zh: '标签不可变规则禁止覆盖或删除该标签' },
    source: 'https://github.com/goharbor/harbor/pull/9427',
  },
  {
    pattern: 'pulled due to configured policy',
    what: { en: 'the project policy that blocks pulling images with vulnerabilities', zh: '项目策略阻止拉取存在漏洞的镜像' },
    source: 'https://github.com/goharbor/harbor/issues/19983',
  },
  {
    pattern: 'not signed in Notary|not signed by cosign|PROJECTPOLICYVIOLATION',
    what: { en: 'a project policy that lets only signed images be pulled (content trust)', zh: '项目策略只允许拉取已签名的镜像(内容信任)' },
    source: 'https://github.com/goharbor/harbor/issues/11504',
  },
  {
    pattern: 'contacting notary server|Trust not fully operational',
    what: { en: 'Docker Content Trust signing against Harbor’s Notary server', zh: 'Docker Content Trust 向 Harbor 的 Notary 服务签名' },
    source: 'https://github.com/goharbor/harbor/issues/4916',
  },
  {
    pattern: 'Proxy to remote failed|proxy manifest|unknown: repository \\S+ not found',
    what: {
      en: 'a proxy cache project that cannot fetch from its upstream (the path, e.g. library/, or the upstream credentials)',
      zh: '代理缓存项目无法从上游获取(路径如 library/,或上游凭据)',
    },
    source: 'https://github.com/goharbor/harbor/issues/13446',
  },
  {
    pattern: 'artifact \\S+ not found',
    what: { en: 'an artifact Harbor has no record of (often pulled through a proxy cache)', zh: 'Harbor 中没有记录的制品(常见于代理缓存拉取)' },
    source: 'https://github.com/goharbor/harbor/issues/19067',
  },
  {
    pattern: '^(?![\\s\\S]*(sweep|delete ?blob|garbage|\\Wgc\\W))[\\s\\S]*(s3aws|InvalidAccessKeyId|NoSuchBucket|SignatureDoesNotMatch)',
    what: { en: 'the registry’s S3 storage: credentials, bucket, region or endpoint', zh: 'registry 的 S3 存储:凭据、桶、区域或端点' },
    source: 'https://github.com/goharbor/harbor/issues/14792',
  },
  {
    pattern: 'service returned error: StatusCode|load storage driver',
    what: { en: 'the registry’s Azure (or other cloud) storage account', zh: 'registry 的 Azure(或其他云)存储账号' },
    source: 'https://github.com/goharbor/harbor/issues/18897',
  },
  {
    pattern: 'StorageDriver not registered',
    what: { en: 'a registry build without the configured storage driver (e.g. gcs)', zh: 'registry 构建中缺少所配置的存储驱动(如 gcs)' },
    source: 'https://github.com/goharbor/harbor/issues/6959',
  },
  {
    pattern: 'Err:28 |^(?![\\s\\S]*(audit|access_log|could not extend|postgres|database|审计|数据库))[\\s\\S]*no space left on device',
    what: { en: 'a full disk under the registry storage', zh: 'registry 存储所在磁盘已满' },
    source: 'https://github.com/goharbor/harbor/issues/13959',
  },
  {
    pattern: 'zero value of capacity',
    what: {
      en: 'a harmless warning of the storage usage widget (it cannot measure non-filesystem storage)',
      zh: '存储用量组件的无害警告(无法统计非文件系统存储)',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/528',
  },
  {
    // A client that does not trust a chart repository's certificate is the client-trust page's
    // problem (it names helm), whatever the repository; ChartMuseum's own lines stay here.
    pattern: 'chartmuseum: |^(?![\\s\\S]*x509:)[\\s\\S]*(valid chart repository|/chartrepo/|properly parse response JSON)',
    what: {
      en: 'the ChartMuseum chart repository, removed in Harbor 2.8 (charts are OCI artifacts since)',
      zh: 'ChartMuseum Chart 仓库,Harbor 2.8 已移除(此后 Chart 以 OCI 制品存放)',
    },
    source: 'https://github.com/goharbor/harbor/issues/18677',
  },
  {
    pattern: 'webhook job\\(target|WEBHOOK:',
    what: { en: 'a webhook endpoint that refuses or does not answer Harbor’s notification', zh: 'Webhook 端点拒绝或未响应 Harbor 的通知' },
    source: 'https://github.com/goharbor/harbor/issues/16632',
  },
  {
    pattern: 'AccessDeniedException|to perform: ecr:',
    what: { en: 'the IAM permissions of an AWS ECR replication endpoint', zh: 'AWS ECR 复制端点的 IAM 权限' },
    source: 'https://github.com/goharbor/harbor/issues/13268',
  },
  {
    pattern: 'check health of registry|registry \\S+ is unhealthy',
    what: { en: 'a registry endpoint whose health check fails', zh: '健康检查失败的仓库端点' },
    source: 'https://github.com/goharbor/harbor/issues/19240',
  },
  {
    pattern: 'scanner controller: ping|client: get metadata|scanner.{0,40}unhealthy|does not support scanning artifact',
    what: { en: 'a scanner adapter (Trivy or another) that Harbor cannot reach', zh: 'Harbor 无法访问的扫描器适配器(Trivy 或其他)' },
    source: 'https://github.com/goharbor/harbor/issues/10504',
  },
  {
    pattern: 'initdb: (error: )?could not (change perm|create|access)',
    what: { en: 'the database volume’s ownership or permissions (harbor-db cannot initialise it)', zh: '数据库卷的属主或权限(harbor-db 无法初始化)' },
    source: 'https://github.com/goharbor/harbor/issues/14460',
  },
  {
    pattern: 'initdb: (error: )?directory .{1,120} exists but is not empty',
    what: {
      en: 'harbor-db finding files in a data directory it expected empty (a volume left by another install or PostgreSQL version)',
      zh: 'harbor-db 的数据目录本应为空却已有文件(其他安装或其他 PostgreSQL 版本留下的卷)',
    },
    source: 'https://github.com/goharbor/harbor/issues/15512',
  },
  {
    pattern: 'has group or world access|Permissions should be u=rwx',
    what: {
      en: 'a database volume whose permissions PostgreSQL refuses (it wants 0700; often NFS or Ceph volumes)',
      zh: 'PostgreSQL 拒绝的数据库卷权限(要求 0700,常见于 NFS 或 Ceph 卷)',
    },
    source: 'https://github.com/goharbor/harbor/issues/14354',
  },
  {
    pattern: 'files are incompatible with server|initialized by PostgreSQL version',
    what: {
      en: 'a database directory from another PostgreSQL major version (the upgrade must convert it)',
      zh: '来自另一个 PostgreSQL 大版本的数据目录(升级需转换)',
    },
    source: 'https://github.com/goharbor/harbor/issues/14642',
  },
  {
    pattern: ':5432: (write|read): connection (reset by peer|timed out)',
    what: {
      en: 'Harbor’s open connections to PostgreSQL cut while in use (a firewall, load balancer or failover in front of an external database); core may need a restart',
      zh: 'Harbor 到 PostgreSQL 的已建立连接在使用中被切断(外部数据库前的防火墙、负载均衡或主备切换);core 可能需要重启',
    },
    source: 'https://github.com/goharbor/harbor/issues/15401',
  },
  {
    pattern: 'parse_yaml_config|no config file: |input/harbor\\.yml',
    what: {
      en: 'harbor.yml as the installer’s prepare step reads it (missing, or not valid YAML)',
      zh: '安装程序 prepare 步骤读取的 harbor.yml(缺失或不是合法 YAML)',
    },
    source: 'https://github.com/goharbor/harbor/issues/10680',
  },
  {
    pattern: 'load rest config',
    what: { en: 'jobservice starting before core answers its configuration request', zh: 'jobservice 启动时 core 尚未响应其配置请求' },
    source: 'https://github.com/octohelm/harbor/issues/431',
  },
  {
    pattern: 'no processor registered with algorithm',
    what: {
      en: 'a tag retention run that fails on a rule it cannot evaluate (seen on proxy cache projects)',
      zh: '标签保留任务因无法执行的规则而失败(见于代理缓存项目)',
    },
    source: 'https://github.com/goharbor/harbor/issues/18085',
  },
  {
    pattern: 'client disconnected during blob|proxy error: unexpected EOF',
    what: {
      en: 'a large layer upload cut off by a proxy or ingress timeout or buffering in front of Harbor',
      zh: '大镜像层上传被 Harbor 前面的代理或 Ingress 的超时或缓冲中断',
    },
    source: 'https://github.com/goharbor/harbor/issues/9394',
  },
  {
    pattern: 'fatal error: runtime: out of memory',
    what: {
      en: 'a Harbor component running out of memory (the registry on large layers pushed in parallel)',
      zh: 'Harbor 组件内存耗尽(registry 并行接收大镜像层时)',
    },
    source: 'https://github.com/goharbor/harbor/issues/11687',
  },
  {
    pattern: 'updates to statefulset spec|spec is immutable after creation',
    what: {
      en: 'a Helm upgrade that changes fields Kubernetes does not let change on the chart’s StatefulSets or volume claims',
      zh: 'Helm 升级修改了 Kubernetes 不允许修改的 StatefulSet 或卷声明字段',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/1747',
  },
  {
    pattern: 'unbound immediate PersistentVolumeClaims',
    what: { en: 'volume claims of the Helm chart that no storage class or volume can satisfy', zh: 'Helm Chart 的卷声明没有可用的存储类或卷' },
    source: 'https://github.com/goharbor/harbor/issues/11550',
  },
  {
    pattern: 'port is already allocated|address already in use',
    what: { en: 'a port Harbor’s containers need that another process or container already holds', zh: 'Harbor 容器需要的端口已被其他进程或容器占用' },
    source: 'https://github.com/octohelm/harbor/issues/436',
  },
  {
    pattern: 'logging driver does not support reading|no logs are available with the .syslog. log driver',
    what: {
      en: '`docker logs` on Harbor’s containers, which log through syslog to harbor-log: read /var/log/harbor/ instead',
      zh: '对 Harbor 容器执行 docker logs:它们通过 syslog 写到 harbor-log,应查看 /var/log/harbor/',
    },
    source: 'https://github.com/goharbor/harbor/issues/2444',
  },
  {
    pattern: 'install docker-compose\\(|Please set hostname',
    what: {
      en: 'the installer’s checks (docker-compose not on sudo’s PATH or only Compose v2 installed, hostname not set)',
      zh: '安装程序的检查(sudo 的 PATH 中找不到 docker-compose 或只装了 Compose v2,未设置 hostname)',
    },
    source: 'https://github.com/goharbor/harbor/issues/12226',
  },
  // Jobs and artifacts (2026-12-01, helper oth2).
  {
    pattern: 'Increase --timeout value|analyze error: timeout',
    what: {
      en: 'a Trivy scan of a large image that ran past Trivy’s timeout (five minutes by default; SCANNER_TRIVY_TIMEOUT)',
      zh: 'Trivy 扫描大镜像超出超时时间(默认 5 分钟;SCANNER_TRIVY_TIMEOUT)',
    },
    source: 'https://github.com/goharbor/harbor/issues/17266',
  },
  {
    pattern: 'Manifest\\.list is not supported',
    what: {
      en: 'a multi-arch image (manifest list) pushed to Harbor 1.x, which does not accept them; Harbor 2.0 does',
      zh: '向 Harbor 1.x 推送多架构镜像(manifest list),1.x 不支持,2.0 起支持',
    },
    source: 'https://github.com/goharbor/harbor/issues/11932',
  },
  {
    pattern: 'in read only mode\\. Any modification|set to read-only mode|prohibited in readonly mode',
    what: {
      en: 'Harbor in read-only mode (a system setting, or left on by a 1.x garbage collection): switch it off under Configuration',
      zh: 'Harbor 处于只读模式(系统设置,或 1.x 的垃圾回收未关闭):在配置管理中关闭',
    },
    source: 'https://github.com/goharbor/harbor/issues/10615',
  },
  {
    pattern: 'Ping: registration .{1,200} is unreachable',
    what: {
      en: 'a scanner registration Harbor cannot reach: it needs a scanner adapter (harbor-scanner-trivy or another) reachable from core, not a bare Trivy server',
      zh: 'Harbor 无法访问已注册的扫描器:需要 core 能访问到的扫描器适配器(harbor-scanner-trivy 等),而不是单独的 Trivy 服务',
    },
    source: 'https://github.com/goharbor/harbor/issues/21617',
  },
  {
    pattern: 'implement the "ChartRegistry" interface',
    what: {
      en: 'ChartMuseum charts replicated to a registry that is not Harbor: only OCI charts replicate there, as artifacts',
      zh: '把 ChartMuseum 中的 chart 复制到非 Harbor 仓库:只有 OCI chart 能作为制品复制过去',
    },
    source: 'https://github.com/goharbor/harbor/issues/16759',
  },
  {
    pattern: 'invalid chart name format',
    what: {
      en: 'a chart replication whose destination path has more than two parts (flattening): ChartMuseum charts need project/chart',
      zh: 'chart 复制的目标路径超过两级(扁平化设置):ChartMuseum 的 chart 只能是 项目/chart',
    },
    source: 'https://github.com/goharbor/harbor/issues/15074',
  },
  {
    pattern: 'descriptor for media type .{1,120} not found',
    what: {
      en: 'an artifact whose media type a Harbor 2.0 pre-release did not recognise (plugins, custom OCI artifacts); released 2.x versions store such artifacts as unknown',
      zh: 'Harbor 2.0 预发布版本不识别该 media type 的制品(插件、自定义 OCI 制品);正式的 2.x 版本会将其存为 unknown 类型',
    },
    source: 'https://github.com/goharbor/harbor/issues/10811',
  },
  {
    pattern: 'unexpected media type text/html',
    what: {
      en: 'containerd or CRI-O pulling through Harbor as a mirror and getting the portal’s HTML: the proxy cache project’s path in hosts.toml',
      zh: 'containerd 或 CRI-O 把 Harbor 当镜像加速拉取时拿到门户的 HTML:hosts.toml 中代理缓存项目的路径',
    },
    source: 'https://github.com/goharbor/harbor/issues/18530',
  },
  {
    pattern: 'unexpected commit digest sha256:e3b0c442',
    what: {
      en: 'an OCI Helm chart or artifact pulled from Harbor as an empty blob (helm pull oci://)',
      zh: '从 Harbor 拉取 OCI Helm chart 或制品时得到空内容(helm pull oci://)',
    },
    source: 'https://github.com/goharbor/harbor/issues/20447',
  },
  {
    pattern: 'referenced by other resources|deleting artifact is referenced by others',
    what: {
      en: 'an artifact still referenced by an index or by a signature or other accessory, which must go first',
      zh: '制品仍被索引或签名等附件引用,需要先删除引用方',
    },
    source: 'https://github.com/goharbor/harbor/issues/20092',
  },
  // Authentication and access (helper oth1, 2026-12-01).
  {
    pattern: 'origin invalid',
    what: {
      en: 'the portal’s CSRF origin check refusing the sign-in (HTTP with a port, a proxy that rewrites Host)',
      zh: '门户的 CSRF 来源校验拒绝登录(HTTP 加端口访问、代理改写了 Host)',
    },
    source: 'https://github.com/goharbor/harbor/issues/21996',
  },
  {
    pattern: 'page_size in query should be less than or equal to',
    what: { en: 'paging in the v2.0 API: page_size is at most 100, follow the Link header', zh: 'v2.0 API 分页:page_size 最大 100,按 Link 头翻页' },
    source: 'https://github.com/goharbor/harbor/issues/13765',
  },
  {
    pattern: 'in path must be of type int64',
    what: {
      en: 'a 1.x-style API path on Harbor 2.x (the v2.0 API addresses projects and repositories by name)',
      zh: '在 Harbor 2.x 上使用 1.x 风格的 API 路径(v2.0 API 按名称访问项目和仓库)',
    },
    source: 'https://github.com/goharbor/harbor/issues/14189',
  },
  {
    pattern: 'could not connect to the audit endpoint',
    what: { en: 'the audit log’s syslog forward endpoint (TCP only)', zh: '审计日志的 syslog 转发端点(仅支持 TCP)' },
    source: 'https://github.com/goharbor/harbor/issues/20948',
  },
  {
    pattern: 'is illegal in length',
    what: { en: 'a project name Harbor refuses (its length and characters)', zh: 'Harbor 拒绝的项目名称(长度与字符)' },
    source: 'https://github.com/goharbor/harbor/issues/3617',
  },
  {
    pattern: 'Password should be \\d+-\\d+ characters',
    what: { en: 'Harbor’s password rules for database users', zh: 'Harbor 数据库用户的密码规则' },
    source: 'https://github.com/goharbor/harbor/issues/15930',
  },
  {
    pattern: 'Conflict in username|harbor_user_email_key',
    what: {
      en: 'OIDC onboarding of a user whose name or (empty) email another user already has',
      zh: 'OIDC 注册用户时用户名或(空)邮箱与已有用户冲突',
    },
    source: 'https://github.com/goharbor/harbor/issues/9600',
  },
  {
    pattern: 'bad request permission',
    what: { en: 'a robot account permission Harbor does not grant to robots', zh: 'Harbor 不允许授予机器人账号的权限' },
    source: 'https://github.com/goharbor/harbor/issues/20110',
  },
  {
    pattern: 'Unable to get groups from claims',
    what: {
      en: 'OIDC groups missing from the ID token (group claim name, scopes, the provider’s group format)',
      zh: 'ID token 中没有 OIDC 组(组声明名称、scope、提供方的组格式)',
    },
    source: 'https://github.com/goharbor/harbor/issues/11808',
  },
  {
    pattern: 'user group with same DN already exist',
    what: { en: 'adding an LDAP group Harbor has already imported as a project member', zh: '把 Harbor 已导入的 LDAP 组添加为项目成员' },
    source: 'https://github.com/goharbor/harbor/issues/15450',
  },
  {
    pattern: 'Send email failed|Failed to send email',
    what: { en: 'Harbor’s email (SMTP) settings, used by the old reset-password mail', zh: 'Harbor 的邮件(SMTP)设置,旧版重置密码邮件使用' },
    source: 'https://github.com/goharbor/harbor/issues/1610',
  },
  // Installation, infrastructure and operations (issue #14, third block).
  {
    pattern: 'socket\\(\\) \\[::\\]:\\d+ failed \\(97',
    what: {
      en: 'Harbor’s nginx listening on [::] on a host or node with IPv6 switched off',
      zh: '主机或节点关闭了 IPv6,而 Harbor 的 nginx 配置监听 [::]',
    },
    source: 'https://github.com/goharbor/harbor/issues/19932',
  },
  {
    pattern: 'unable to validate against any security context constraint',
    what: {
      en: 'the Helm chart’s fixed uid/fsGroup 10000 refused by an OpenShift security context constraint',
      zh: 'Chart 固定的 uid/fsGroup 10000 被 OpenShift 的 SCC 拒绝',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/874',
  },
  {
    pattern: 'does not contain a valid IngressClass',
    what: {
      en: 'the chart’s ingress without an ingress class the controller serves (every URL answers 404)',
      zh: 'Chart 的 Ingress 缺少控制器认可的 IngressClass(所有地址返回 404)',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/1265',
  },
  {
    pattern: 'Multi-Attach error for volume',
    what: {
      en: 'a ReadWriteOnce volume of the chart that a new pod on another node cannot attach (upgrades, several replicas)',
      zh: 'Chart 的 ReadWriteOnce 卷无法挂载到其他节点上的新 Pod(升级或多副本)',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/224',
  },
  {
    pattern: 'harbor_exporter with port=0',
    what: {
      en: 'Harbor’s metrics exporter started without a port (metrics settings of the chart)',
      zh: 'Harbor 的指标 exporter 启动时端口为 0(Chart 的 metrics 配置)',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/1835',
  },
  {
    pattern: 'in a read-only transaction',
    what: {
      en: 'Harbor connected to a read-only PostgreSQL (a standby, a replica, or a pooler after a failover)',
      zh: 'Harbor 连接到只读的 PostgreSQL(备库、只读副本或故障切换后的连接池)',
    },
    source: 'https://github.com/goharbor/harbor/issues/15972',
  },
  {
    pattern: 'error setting mode of /var/log/docker',
    what: {
      en: 'logrotate in the harbor-log container failing, so /var/log/harbor is never rotated',
      zh: 'harbor-log 容器里的 logrotate 失败,/var/log/harbor 日志不轮转',
    },
    source: 'https://github.com/goharbor/harbor/issues/6895',
  },
  {
    pattern: "PermissionError: \\[Errno 13\\] Permission denied: '[^']*common/config",
    what: {
      en: 'Harbor installed or started by a user without root: the files prepare wrote under common/config are not readable',
      zh: '以非 root 用户安装或启动 Harbor:prepare 在 common/config 下生成的文件不可读',
    },
    source: 'https://github.com/goharbor/harbor/issues/9728',
  },
  {
    pattern: 'open /var/log/jobs/\\S+\\.log: permission denied',
    what: {
      en: 'jobservice unable to write its job logs (the owner of the job log volume)',
      zh: 'jobservice 无法写入任务日志(任务日志卷的属主不对)',
    },
    source: 'https://github.com/goharbor/harbor/issues/14305',
  },
  {
    pattern: 'could not resize shared memory segment',
    what: {
      en: 'the bundled PostgreSQL out of shared memory (/dev/shm of the database container)',
      zh: '自带的 PostgreSQL 共享内存不足(数据库容器的 /dev/shm)',
    },
    source: 'https://github.com/goharbor/harbor/issues/15034',
  },
  // Neighbours of the replication, tag, job and GC pages (issue #14, helper h7a): the wording of Harbor's
  // replication transfer (src/controller/replication/transfer/image/transfer.go), flow (flow/stage.go), GC job
  // (src/jobservice/job/impl/gc) and event handler (src/controller/event/handler/internal/artifact.go).
  {
    pattern: 'failed to push manifest of (artifact|image) .{1,300}MANIFEST_BLOB_UNKNOWN',
    what: {
      en: 'replication refused at the manifest by the destination, which lists a blob it does not hold in storage (MANIFEST_BLOB_UNKNOWN)',
      zh: '复制推送 manifest 时被目标端拒绝:目标端记录了某个 blob,存储里却没有(MANIFEST_BLOB_UNKNOWN)',
    },
    source: 'https://github.com/goharbor/harbor/issues/16620',
  },
  {
    pattern: 'prepare work for pushing/uploading resources',
    what: {
      en: 'replication unable to prepare the destination (create the project or namespace there), mostly an endpoint account without the rights',
      zh: '复制无法在目标端做准备工作(创建项目或命名空间),多半是端点账号没有权限',
    },
    source: 'https://github.com/goharbor/harbor/issues/9314',
  },
  {
    pattern: 'failed to pushing the blob .{1,800}(Client\\.Timeout exceeded|context deadline exceeded|i/o timeout)',
    what: {
      en: 'a replication blob transfer timing out: a big layer over a slow line or behind a proxy timeout (copy by chunk, longer timeouts)',
      zh: '复制传输镜像层超时:慢速线路上的大镜像层或代理超时(按块复制、加大超时)',
    },
    source: 'https://github.com/goharbor/harbor/issues/15150',
  },
  {
    pattern: 'failed to update pull time for (parent )?artifact',
    what: {
      en: 'the pull time of an artifact not recorded (a harmless warning of 2.5; pull time is kept only for pulls by tag)',
      zh: '制品的拉取时间没有记录(2.5 版的无害警告;只有按标签拉取才记录拉取时间)',
    },
    source: 'https://github.com/goharbor/harbor/issues/17044',
  },
  {
    pattern: 'unique_artifact_trash',
    what: {
      en: 'an artifact whose deletion collides with a row artifact_trash kept from an earlier deletion of the same digest',
      zh: '删除制品时与 artifact_trash 中之前删除同一 digest 留下的记录冲突',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/1340',
  },
  {
    pattern: 'failed to clean registry cache',
    what: {
      en: 'GC unable to clean the registry’s Redis cache at its end (Redis reachability, Sentinel or cluster mode, database index)',
      zh: 'GC 最后无法清理 registry 的 Redis 缓存(Redis 连通性、哨兵或集群模式、数据库编号)',
    },
    source: 'https://github.com/goharbor/harbor/issues/14922',
  },
  {
    pattern: 'filesystem layer verification failed for digest',
    what: {
      en: 'a layer whose bytes do not match its digest: a blob corrupted or truncated in storage or on its way through a proxy',
      zh: '镜像层内容与 digest 不符:存储中的 blob 损坏或被截断,或经过代理时被截断',
    },
    source: 'https://github.com/goharbor/harbor/issues/8149',
  },
  {
    pattern: 'unable to initialize a docker scanner',
    what: {
      en: 'the Trivy adapter unable to fetch the artifact it should scan from Harbor core (internal address, proxy, token)',
      zh: 'Trivy 适配器无法从 Harbor core 拉取要扫描的制品(内部地址、代理、令牌)',
    },
    source: 'https://github.com/goharbor/harbor/issues/16129',
  },
  {
    pattern: 'failed to delete untagged:\\d+ artifact in DB',
    what: {
      en: 'GC failing while it deletes untagged artifacts in the database (its connection or transaction dropped), before any sweep',
      zh: 'GC 在数据库中删除无标签制品时失败(数据库连接或事务中断),还没到清理阶段',
    },
    source: 'https://github.com/goharbor/harbor/issues/20582',
  },
  // Neighbours of the certificate, compose start-up and storage pages (issue #14).
  {
    pattern: 'creating trivy cache dir|mkdir /home/scanner/\\.cache',
    what: {
      en: 'the Trivy adapter unable to create its cache under /home/scanner (the owner of its volume, or a storage class that ignores fsGroup)',
      zh: 'Trivy 适配器无法在 /home/scanner 下创建缓存(卷属主不对,或存储类不支持 fsGroup)',
    },
    source: 'https://github.com/goharbor/harbor/issues/12933',
  },
  {
    pattern: "No such file or directory: '/hostfs/",
    what: {
      en: 'prepare unable to find a file harbor.yml names (the HTTPS certificate or key): the path must exist on the host and be absolute',
      zh: 'prepare 找不到 harbor.yml 中指定的文件(HTTPS 证书或私钥):路径必须在主机上存在且为绝对路径',
    },
    source: 'https://github.com/goharbor/harbor/issues/18964',
  },
  {
    pattern: 'PEM_read_bio_(X509_AUX|PrivateKey)\\(',
    what: {
      en: 'Harbor’s nginx unable to load the HTTPS certificate or key given in harbor.yml (not PEM, an encrypted key, or a key of another certificate), so it restarts in a loop',
      zh: 'Harbor 的 nginx 无法加载 harbor.yml 中的 HTTPS 证书或私钥(不是 PEM、私钥加密或与证书不配对),因而反复重启',
    },
    source: 'https://github.com/goharbor/harbor/issues/10642',
  },
  {
    pattern: 'SELinux relabeling of / is not allowed',
    what: {
      en: 'the installer’s prepare step on a host with SELinux enforcing (it mounts / with a relabel option)',
      zh: '启用 SELinux 的主机上安装程序的 prepare 步骤失败(它以重新标记选项挂载 /)',
    },
    source: 'https://github.com/goharbor/harbor/issues/16368',
  },
  {
    pattern: "error accessing config file or directory '/etc/rsyslog\\.d/",
    what: {
      en: 'harbor-log unable to read its rsyslog configuration (SELinux labels on the generated files), so the other containers find no log endpoint',
      zh: 'harbor-log 无法读取 rsyslog 配置(生成文件的 SELinux 标签),其他容器因此找不到日志端点',
    },
    source: 'https://github.com/goharbor/harbor/issues/18083',
  },
  {
    pattern: 'unknown logging driver .?syslog',
    what: {
      en: 'a container runtime without the syslog logging driver Harbor’s compose file uses (nerdctl, podman): not supported by the installer',
      zh: '容器运行时没有 Harbor compose 文件使用的 syslog 日志驱动(nerdctl、podman):安装程序不支持',
    },
    source: 'https://github.com/goharbor/harbor/issues/17453',
  },
  {
    pattern: 'could not locate a valid checkpoint record',
    what: {
      en: 'the bundled PostgreSQL’s write-ahead log damaged by a power cut or hard reset: restore a backup (pg_resetwal makes it start but loses the last transactions: a last resort, on a copy of the data)',
      zh: '断电或强制重启损坏了自带 PostgreSQL 的预写日志:应从备份恢复(pg_resetwal 能让它启动,但会丢失最后的事务,只能作为最后手段,并先复制数据目录)',
    },
    source: 'https://github.com/goharbor/harbor/issues/19652',
  },
  {
    pattern: 'Unsupported config option for (services|networks)',
    what: {
      en: 'docker-compose v1 reading the compose file of Harbor 2.12 or later, which has no version key: use the Compose v2 plugin',
      zh: 'docker-compose v1 读取 Harbor 2.12 及以后没有 version 字段的 compose 文件:请使用 Compose v2 插件',
    },
    source: 'https://github.com/goharbor/harbor/issues/21763',
  },
  {
    pattern: "PermissionError: \\[Errno 13\\] Permission denied: '/config'",
    what: {
      en: 'prepare refused access to its configuration folder by SELinux (dockerd with SELinux enabled)',
      zh: 'SELinux 拒绝 prepare 访问其配置目录(dockerd 启用了 SELinux)',
    },
    source: 'https://github.com/goharbor/harbor/issues/8129',
  },
  // Neighbours of the database, upgrade, login and core-log pages (issue #14, helper h7c, 2026-12-02).
  {
    pattern: 'pg_hba\\.conf rejects connection|no pg_hba\\.conf entry for host',
    what: {
      en: 'an external PostgreSQL whose pg_hba.conf does not admit Harbor’s hosts (or requires SSL Harbor does not use)',
      zh: '外部 PostgreSQL 的 pg_hba.conf 不放行 Harbor 的主机(或要求 Harbor 未使用的 SSL)',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/99',
  },
  {
    pattern: 'database "[\\w-]+" does not exist',
    what: {
      en: 'a database Harbor expects (registry, notary) missing from its PostgreSQL: most often an external server on which it was never created',
      zh: 'Harbor 需要的数据库(registry、notary)在其 PostgreSQL 中不存在:多见于外部数据库上从未创建',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/564',
  },
  {
    pattern: 'connection requires a valid client certificate',
    what: {
      en: 'an external PostgreSQL that demands a TLS client certificate, which Harbor’s connection settings cannot provide',
      zh: '外部 PostgreSQL 要求 TLS 客户端证书,Harbor 的连接配置无法提供',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/1485',
  },
  {
    pattern: 'no migration path found to target version|MigratioNotFound',
    what: {
      en: 'prepare migrate unable to convert harbor.yml: its _version has no migration path (a patch version, or an edited value)',
      zh: 'prepare migrate 无法转换 harbor.yml:其 _version 没有迁移路径(补丁版本或被改过的值)',
    },
    source: 'https://github.com/goharbor/harbor/issues/17099',
  },
  {
    pattern: 'Error saving credentials: error storing credentials',
    what: {
      en: 'docker login failing on the client while storing the credentials (the credential helper of the Docker config)',
      zh: 'docker login 在客户端保存凭据时失败(Docker 配置里的凭据助手)',
    },
    source: 'https://github.com/goharbor/harbor/issues/15370',
  },
  {
    pattern: 'retry after \\d+ seconds ?: ?dial tcp: lookup',
    what: {
      en: 'core unable to resolve the database host name (Docker’s embedded DNS on the compose network, or the cluster DNS)',
      zh: 'core 解析不了数据库主机名(compose 网络的 Docker 内置 DNS 或集群 DNS)',
    },
    source: 'https://github.com/goharbor/harbor/issues/15546',
  },
  {
    pattern: 'Error occurred in UserLogin: .{1,200} or email already exists',
    what: {
      en: 'an LDAP user whose name or email clashes with a user already in Harbor’s database',
      zh: 'LDAP 用户的用户名或邮箱与 Harbor 数据库里已有的用户冲突',
    },
    source: 'https://github.com/goharbor/harbor/issues/15793',
  },
  {
    pattern: 'server process \\(PID \\d+\\) exited with exit code 141',
    what: {
      en: 'the internal database’s backends exiting with code 141 (seen after nodes moved from Docker to containerd), which restarts every connection',
      zh: '内置数据库的后端进程以 141 退出(节点从 Docker 换成 containerd 后出现),所有连接被重置',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/1184',
  },
  {
    pattern: 'no schema has been selected to create in',
    what: {
      en: 'an external PostgreSQL where Harbor’s role has no schema to create its tables in (public dropped or not granted)',
      zh: '外部 PostgreSQL 上 Harbor 的角色没有可建表的 schema(public 被删除或未授权)',
    },
    source: 'https://github.com/goharbor/harbor/issues/14268',
  },
  {
    pattern: 'relation "alembic_version" does not exist',
    what: {
      en: 'an external database for Harbor 1.6/1.7 that was not initialised like harbor-db (the adminserver finds no alembic_version table)',
      zh: 'Harbor 1.6/1.7 的外部数据库没有按 harbor-db 的方式初始化(adminserver 找不到 alembic_version 表)',
    },
    source: 'https://github.com/goharbor/harbor/issues/6027',
  },
  {
    pattern: 'failed to get metadata, key:\\w+, error:<nil>, skip to load item',
    what: {
      en: 'settings of older releases left in the properties table after an upgrade to 1.8, which core warns it skips',
      zh: '升级到 1.8 后 properties 表里残留旧版本的配置项,core 警告跳过加载',
    },
    source: 'https://github.com/goharbor/harbor/issues/7852',
  },
  {
    pattern: "current value's metadata is not defined|Register called twice for manager db_cfg_manager",
    what: {
      en: 'start-up noise of core and jobservice since 2.4 about configuration metadata (harmless)',
      zh: '自 2.4 起 core 和 jobservice 启动时关于配置元数据的日志噪音(无害)',
    },
    source: 'https://github.com/goharbor/harbor/issues/16319',
  },
  // Programs around Harbor: Docker, containerd, Helm, PostgreSQL, Redis, nginx, the installer (helper h7e).
  {
    pattern: 'Version in "\\./docker-compose\\.ya?ml" is unsupported',
    what: {
      en: 'a docker-compose too old for the Compose file format of the installer’s docker-compose.yml',
      zh: 'docker-compose 版本过旧,不支持安装包中 docker-compose.yml 的文件格式版本',
    },
    source: 'https://github.com/goharbor/harbor/issues/7670',
  },
  {
    pattern: 'unknown authentication response: 10',
    what: {
      en: 'a PostgreSQL server using scram-sha-256 passwords, which the database driver of that component cannot answer (md5 works)',
      zh: 'PostgreSQL 使用 scram-sha-256 密码认证,而该组件的数据库驱动不支持(改用 md5 可用)',
    },
    source: 'https://github.com/goharbor/harbor/issues/15731',
  },
  {
    pattern:
      'called without any password configured|Client sent AUTH, but no password is set|NOAUTH Authentication required|WRONGPASS invalid username-password',
    what: {
      en: 'a Redis password that does not match the server: one is set on one side only, or it is wrong',
      zh: 'Redis 密码与服务器不一致:只有一端设置了密码,或密码错误',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/1829',
  },
  {
    pattern: 'upstream sent too big header',
    what: {
      en: 'an nginx in front of core whose proxy buffers are too small for a large response header (proxy_buffer_size)',
      zh: 'core 前面的 nginx 代理缓冲区太小,放不下较大的响应头(proxy_buffer_size)',
    },
    source: 'https://github.com/goharbor/harbor/issues/21648',
  },
  {
    pattern: 'permission denied for (table|schema|sequence|relation|database) ',
    what: {
      en: 'a database user without privileges on Harbor’s tables or schema (often migrations run as another user, or PostgreSQL 15’s public schema)',
      zh: '数据库用户对 Harbor 的表或 schema 没有权限(常因迁移由其他用户执行,或 PostgreSQL 15 的 public schema 权限)',
    },
    source: 'https://github.com/goharbor/harbor/issues/18117',
  },
  {
    pattern: 'insufficient_scope: authorization failed',
    what: {
      en: 'a pull without credentials that may read the repository (a private project, a wrong path, or no pull secret on the node)',
      zh: '拉取时没有可读取该仓库的凭据(私有项目、路径写错,或节点上缺少拉取凭据)',
    },
    source: 'https://github.com/kubesphere/kubekey/issues/1165',
  },
  {
    pattern: 'spec\\.selector: Invalid value: .{1,800}field is immutable',
    what: {
      en: 'a chart upgrade that changes a Deployment’s label selector, which Kubernetes does not allow in place (delete the Deployment, then upgrade)',
      zh: 'Chart 升级修改了 Deployment 的标签选择器,Kubernetes 不允许原地修改(需先删除该 Deployment 再升级)',
    },
    source: 'https://github.com/goharbor/harbor-operator/issues/914',
  },
  {
    pattern: 'Missing client certificate \\S+ for key|Missing key \\S+ for (client )?certificate',
    what: {
      en: 'a CA certificate in the Docker client’s certs.d named .cert, which Docker reads as a client certificate (CA files end in .crt)',
      zh: 'Docker 客户端 certs.d 中的 CA 证书以 .cert 命名,被当作客户端证书读取(CA 文件应以 .crt 结尾)',
    },
    source: 'https://github.com/goharbor/harbor/issues/4749',
  },
  {
    pattern: 'unsupported content type for manifest',
    what: {
      en: 'an OCI image manifest pushed (podman, buildah) to a Harbor before 2.0, which supports only Docker manifests',
      zh: '向 2.0 之前的 Harbor 推送 OCI 镜像清单(podman、buildah),而它只支持 Docker 清单',
    },
    source: 'https://github.com/goharbor/harbor/issues/10952',
  },
  {
    pattern: 'unexpected HTTP status: 524',
    what: {
      en: 'a Cloudflare proxy in front of Harbor that gives up on a long request, such as a big layer’s upload (status 524: the origin took too long to answer)',
      zh: 'Harbor 前面的 Cloudflare 代理放弃了耗时较长的请求,例如大镜像层的上传(状态码 524:源站响应超时)',
    },
    source: 'https://github.com/goharbor/harbor/issues/17546',
  },
  {
    pattern: 'SSL_CTX_load_verify_locations\\(',
    what: {
      en: 'nginx cannot read the CA file of internal TLS (harbor_internal_ca.crt missing where prepare expects it)',
      zh: 'nginx 读取不到内部 TLS 的 CA 文件(harbor_internal_ca.crt 不在 prepare 预期的位置)',
    },
    source: 'https://github.com/goharbor/harbor/issues/18733',
  },
  {
    pattern: 'no sentinels available|unknown command .SENTINEL.',
    what: {
      en: 'a Redis address configured as Sentinel (redis+sentinel) where no Sentinel answers, or the server is a plain Redis',
      zh: '以 Sentinel 方式(redis+sentinel)配置的 Redis 地址上没有可用的 Sentinel,或对端只是普通 Redis',
    },
    source: 'https://github.com/goharbor/harbor-operator/issues/1008',
  },
  {
    pattern: 'failed to create subPath directory for volumeMount',
    what: {
      en: 'the kubelet failing to mount one of the chart’s secrets with subPath (seen on old Kubernetes; the thread is unsure of the cause)',
      zh: 'kubelet 无法以 subPath 挂载 Chart 的某个 Secret(见于较旧的 Kubernetes;讨论中原因未定)',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/292',
  },
  {
    pattern: 'unmounted volumes=\\[ca-download',
    what: {
      en: 'the core pod waiting for the secret behind its ca-download volume, the TLS secret the chart expects (e.g. a certificate cert-manager has not issued yet)',
      zh: 'core Pod 在等待 ca-download 卷对应的 Secret,即 Chart 需要的 TLS Secret(例如 cert-manager 尚未签发的证书)',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/853',
  },
  {
    pattern: 'bind source path does not exist: \\S*/(secret|cert|common)/',
    what: {
      en: 'a file the installer’s docker-compose.yml mounts (under data_volume or common/config) that prepare did not write there (the thread does not settle why)',
      zh: '安装包 docker-compose.yml 要挂载的文件(在 data_volume 或 common/config 下)没有被 prepare 生成(讨论中原因未定)',
    },
    source: 'https://github.com/goharbor/harbor/issues/21274',
  },
  {
    pattern: 'mount path must be absolute',
    what: {
      en: 'a docker-compose too old for the relative volume paths of the installer’s docker-compose.yml',
      zh: 'docker-compose 版本过旧,不支持安装包 docker-compose.yml 中的相对挂载路径',
    },
    source: 'https://github.com/goharbor/harbor/issues/11999',
  },
  {
    pattern: "IsADirectoryError: \\[Errno 21\\] Is a directory: '/data/",
    what: {
      en: 'prepare finding a directory where it writes a key file, which Docker creates when containers start before prepare wrote the file',
      zh: 'prepare 要写入密钥文件的位置已是一个目录:容器在 prepare 生成该文件之前启动时,Docker 会创建同名目录',
    },
    source: 'https://github.com/goharbor/harbor/issues/11953',
  },
  {
    pattern: '"harbor\\.secretKeyHelper" at <\\.data>: wrong type for value',
    what: {
      en: 'a Helm client older than 3.10, which chart 1.14 and later need',
      zh: 'Helm 客户端低于 3.10,而 Chart 1.14 及之后的版本需要 3.10 以上',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/1671',
  },
  {
    pattern: 'function "htpasswd" not defined',
    what: {
      en: 'a Helm client too old for the chart: it lacks the htpasswd template function the registry secret uses',
      zh: 'Helm 客户端版本过旧:缺少 registry Secret 模板使用的 htpasswd 函数',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/1241',
  },
  {
    pattern: 'unknown object type "nil" in ConfigMap\\.data',
    what: {
      en: 'Helm 2.14.0 rejecting the chart’s empty ConfigMap values (Helm 2.14.1 fixed it)',
      zh: 'Helm 2.14.0 拒绝 Chart 中为空的 ConfigMap 值(Helm 2.14.1 已修复)',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/250',
  },
  // Other problems that Harbor's own components print (helper h7d): configuration, Redis, nginx,
  // storage drivers, the scanner, the exporter and database lines that none of our pages is about.
  {
    pattern: 'value too long for type character varying',
    what: {
      en: 'a value longer than the database column Harbor keeps it in (a long name, access key, filter or description): the request fails with a 500',
      zh: '某个值超过了 Harbor 数据库列的长度(过长的名称、Access Key、过滤条件或描述),请求返回 500',
    },
    source: 'https://github.com/goharbor/harbor/issues/15821',
  },
  {
    pattern: 'Invalid CSRF key (length )?from (the )?environment',
    what: {
      en: 'core’s CSRF_KEY is empty or not 32 characters long: older releases then make a random key in each core (several replicas disagree and the portal’s CSRF check fails), newer ones refuse the key',
      zh: 'core 的 CSRF_KEY 为空或不是 32 个字符:旧版本会在每个 core 中生成随机密钥(多副本之间不一致,门户 CSRF 校验失败),新版本直接拒绝该密钥',
    },
    source: 'https://github.com/bitnami/bitnami-docker-harbor-portal/issues/14',
  },
  {
    pattern: 'READONLY You can.t write against a read only (replica|slave)',
    what: {
      en: 'Harbor writing to a Redis replica instead of its master (a load balancer, service or DNS name that can point at a replica after a restart or failover)',
      zh: 'Harbor 向 Redis 副本而非主节点写入(负载均衡、Service 或 DNS 名称在重启或故障切换后可能指向副本)',
    },
    source: 'https://github.com/goharbor/harbor/issues/14238',
  },
  {
    pattern: 'cannot load certificate( key)? "[^"]+": BIO_new_file\\(\\) failed',
    what: {
      en: 'nginx unable to open the certificate or key file its configuration names (a missing file, a secret or volume that is not mounted, a wrong path)',
      zh: 'nginx 无法打开配置中指定的证书或私钥文件(文件不存在、Secret 或卷未挂载、路径错误)',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/775',
  },
  {
    pattern: 'tries to attach to a non existing artifact',
    what: {
      en: 'a push that fails because the artifact its tag points to is not in the database; the thread ties it to the cache layer of 2.6 (artifact rows served from a stale cache)',
      zh: '推送失败:标签指向的 artifact 不在数据库中;该讨论认为与 2.6 的缓存层有关(缓存中的 artifact 记录已过期)',
    },
    source: 'https://github.com/goharbor/harbor/issues/16995',
  },
  {
    pattern: 'was collected before with the same name and label values',
    what: {
      en: 'harbor-exporter serving no metrics because one metric came out twice with the same labels (an exporter bug reported on 2.4.0)',
      zh: 'harbor-exporter 因同一指标以相同标签重复出现而无法输出指标(2.4.0 上报告的 exporter 缺陷)',
    },
    source: 'https://github.com/goharbor/harbor/issues/16057',
  },
  {
    pattern: 'swift: (Object Corrupted|Path not found|HTTP Error|Authorization Failure|Object Not Found|Container Not Found)',
    what: {
      en: 'the registry’s OpenStack Swift storage answering with an error (authorization, a corrupted or missing object) while images are pushed or pulled',
      zh: '镜像推送或拉取时,registry 的 OpenStack Swift 存储返回错误(认证失败、对象损坏或缺失)',
    },
    source: 'https://github.com/distribution/distribution/issues/2152',
  },
  {
    pattern: 'Unable to initialize the Java DB|Java DB update failed|skip downloading (the )?Java DB|failed to download Java DB',
    what: {
      en: 'Trivy unable to get its Java database (trivy-java-db) for images with JAR files, typically offline or behind a proxy; skipping the vulnerability DB update does not skip this one',
      zh: 'Trivy 扫描含 JAR 文件的镜像时无法获取 Java 漏洞库(trivy-java-db),多见于离线或代理环境;跳过漏洞库更新并不会跳过它',
    },
    source: 'https://github.com/aquasecurity/harbor-scanner-trivy/issues/372',
  },
  {
    pattern: 'unique_artifact_blob',
    what: {
      en: 'PostgreSQL logging a duplicate artifact–blob row during pushes or replication: Harbor expects the error and ignores it (noise, not a failure)',
      zh: '推送或复制时 PostgreSQL 记录 artifact 与 blob 关联行重复:Harbor 预期并忽略该错误(日志噪音,并非故障)',
    },
    source: 'https://github.com/goharbor/harbor/issues/9832',
  },
  {
    pattern: 'the database system is in recovery mode',
    what: {
      en: 'PostgreSQL recovering after one of its processes crashed (out of memory, shared memory, exit code 141), so Harbor’s requests fail until it is back; repeated crashes need their cause found',
      zh: 'PostgreSQL 在某个进程崩溃后进行恢复(内存不足、共享内存、退出码 141),恢复完成前 Harbor 的请求失败;反复崩溃需查明原因',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/1804',
  },
  {
    pattern: 'no accountkey parameter provided|malformed storage account key',
    what: {
      en: 'the registry’s Azure storage configured without a usable account key (with the chart’s azure.existingSecret the key did not reach the registry before chart 1.10.2)',
      zh: 'registry 的 Azure 存储缺少可用的 account key(使用 chart 的 azure.existingSecret 时,1.10.2 之前该密钥不会传给 registry)',
    },
    source: 'https://github.com/goharbor/harbor-helm/issues/1309',
  },
  {
    pattern: 'invalid region provided',
    what: {
      en: 'the registry refusing an S3 region missing from its built-in list (a newer AWS region, GovCloud or an on-premises S3 region name); setting regionendpoint is the usual way round it',
      zh: 'registry 拒绝其内置列表中没有的 S3 区域(较新的 AWS 区域、GovCloud 或自建 S3 的区域名);通常通过设置 regionendpoint 绕过',
    },
    source: 'https://github.com/goharbor/harbor/issues/18654',
  },
  {
    pattern: 'login to dockerhub error',
    what: {
      en: 'Harbor unable to log in to Docker Hub with a registry endpoint’s credentials (a wrong or revoked access token, or Docker Hub out of reach), so proxy-cache pulls and replications through it fail',
      zh: 'Harbor 无法用仓库端点的凭据登录 Docker Hub(Access Token 错误或已吊销,或无法访问 Docker Hub),经由它的代理缓存拉取和复制因此失败',
    },
    source: 'https://github.com/goharbor/harbor/issues/12853',
  },
  {
    pattern: 'first run cannot skip downloading DB|skip-update cannot be specified on the first run',
    what: {
      en: 'an offline Trivy (skip update) with no vulnerability database in its cache yet: the database must be copied there first, in the schema version the adapter expects',
      zh: '离线模式(跳过更新)的 Trivy 缓存中还没有漏洞库:需先把符合适配器所需 schema 版本的漏洞库放入缓存目录',
    },
    source: 'https://github.com/aquasecurity/harbor-scanner-trivy/issues/299',
  },
  {
    pattern: 'old schema version which is not supported|cannot be specified with the old DB schema',
    what: {
      en: 'an offline Trivy given a vulnerability database in an older schema than its version reads (the retired trivy-offline.db archive instead of trivy-db:2)',
      zh: '离线 Trivy 使用的漏洞库 schema 版本低于其所需版本(使用了已停用的 trivy-offline.db 包,而非 trivy-db:2)',
    },
    source: 'https://github.com/aquasecurity/harbor-scanner-trivy/issues/226',
  },
  {
    // 1.x to 2.2: the GC job asks registryctl to run the registry's own garbage-collect; 2.1+ sweeps in jobservice instead.
    pattern: 'failed to get gc result',
    what: {
      en: 'a garbage collection that registryctl could not run (Harbor up to 2.2, and the read-only GC of 2.1–2.2): the registryctl log holds the registry’s own error',
      zh: 'registryctl 无法执行的垃圾回收(Harbor 2.2 及以前,以及 2.1–2.2 的只读 GC):registryctl 日志中有 registry 自身的错误',
    },
    source: 'https://github.com/goharbor/harbor/issues/9876',
  },
  {
    pattern: "KeyError: '",
    what: {
      en: 'prepare reading a harbor.yml written for another release: a key the new templates need is missing, so harbor.yml has to be migrated first',
      zh: 'prepare 读取的是其他版本的 harbor.yml:缺少新模板所需的配置项,需先迁移 harbor.yml',
    },
    source: 'https://github.com/goharbor/harbor/issues/18597',
  },
  {
    pattern: '/c/oidc/callback',
    what: {
      en: 'the OIDC login callback failing in core (the core log has the provider’s answer)',
      zh: 'core 处理 OIDC 登录回调失败(core 日志中有身份提供方的应答)',
    },
    source: 'https://github.com/goharbor/harbor/issues/8177',
  },
  {
    pattern: 'Detect DB timezone',
    what: {
      en: 'a harmless start-up message of the database library (no time zone data in the image), not the cause of a failure',
      zh: '数据库库在启动时打印的无害信息(镜像中没有时区数据),并不是故障原因',
    },
    source: 'https://github.com/goharbor/harbor/issues/6936',
  },
];

/** Where the search page fetches the catalogue with its text (src/pages/other-problems.json.ts). */
export const OTHER_PROBLEMS_URL = '/other-problems.json';

/**
 * Where the search page fetches the catalogue's patterns (src/pages/other-problems.bin.ts): only
 * when a paste has no signature of ours, so a paste that has one never downloads them.
 */
export const OTHER_PROBLEM_PATTERNS_URL = '/other-problems.bin';

/** The patterns, in catalogue order: all the search page needs until one matches. */
export const otherProblemPatterns = (): string[] => OTHER_PROBLEMS.map((problem) => problem.pattern);

/**
 * The patterns as one text, joined by SEPARATOR (which no pattern may hold). The search page
 * fetches it gzip-compressed whatever the host does (otherProblemPatternsFrom): every byte of it
 * counts in a first search that needs it.
 */
export function otherProblemPatternsText(): string {
  const bad = otherProblemPatterns().find((pattern) => pattern.includes(SEPARATOR));
  if (bad !== undefined) throw new Error(`other problem ${JSON.stringify(bad)}: the search page cannot carry ${SEPARATOR}`);
  return otherProblemPatterns().join(SEPARATOR);
}

/** The patterns back from the gzip-compressed text of otherProblemPatternsText. */
export async function otherProblemPatternsFrom(gzipped: Blob): Promise<string[]> {
  const text = await inflatedText(gzipped);
  return text === '' ? [] : text.split(SEPARATOR);
}

/** Fetches the catalogue's patterns from the site, the first time a paste needs them. */
export const fetchOtherProblemPatterns = (): Promise<string[]> => fetchGzipped(OTHER_PROBLEM_PATTERNS_URL).then(otherProblemPatternsFrom);
