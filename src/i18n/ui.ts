import type { Lang } from '../schemas/issue.ts';

/** Interface strings of the site, per language. Page content lives in content/. */
export const UI = {
  en: {
    siteName: 'harbor-kb',
    tagline: 'Harbor troubleshooting: paste the error, find the cause, run the fix safely.',
    skipToContent: 'Skip to content',
    searchLabel: 'Search the knowledge base',
    searchPlaceholder: 'Paste an error line or describe the problem',
    searchButton: 'Search',
    languageSwitch: '中文',
    languageSwitchLabel: 'Read this page in Chinese',
    allProblems: 'Known problems',
    filterVersion: 'Your Harbor version',
    filterVersionHint: 'e.g. 1.9.4',
    filterInstall: 'Install method',
    filterAny: 'Any',
    filterNoMatch: 'No known problem matches these filters.',
    environment: 'Environment',
    errorMessages: 'Error messages',
    references: 'References',
    playbook: 'Playbook',
    harborVersions: 'Affected Harbor versions',
    fixedIn: 'Fixed in',
    notFixed: 'not fixed upstream',
    installMethod: 'Install method',
    components: 'Components',
    status: 'Status',
    seenIn: 'Seen in',
    onThisPage: 'On this page',
    theme: 'Theme follows your system setting',
  },
  zh: {
    siteName: 'harbor-kb',
    tagline: 'Harbor 故障排查:贴上报错,找到原因,安全地执行修复。',
    skipToContent: '跳到正文',
    searchLabel: '搜索知识库',
    searchPlaceholder: '粘贴报错日志,或描述遇到的问题',
    searchButton: '搜索',
    languageSwitch: 'English',
    languageSwitchLabel: '阅读本页英文版',
    allProblems: '已知问题',
    filterVersion: '你的 Harbor 版本',
    filterVersionHint: '例如 1.9.4',
    filterInstall: '安装方式',
    filterAny: '全部',
    filterNoMatch: '没有符合筛选条件的已知问题。',
    environment: '环境',
    errorMessages: '报错信息',
    references: '参考资料',
    playbook: '修复脚本',
    harborVersions: '受影响的 Harbor 版本',
    fixedIn: '修复版本',
    notFixed: '上游尚未修复',
    installMethod: '安装方式',
    components: '组件',
    status: '状态',
    seenIn: '出现位置',
    onThisPage: '本页内容',
    theme: '主题跟随系统设置',
  },
} as const satisfies Record<Lang, Record<string, string>>;

export type UiKey = keyof (typeof UI)['en'];

export const STATUS_LABELS: Record<Lang, Record<'solved' | 'workaround' | 'unsolved', string>> = {
  en: { solved: 'Solved', workaround: 'Workaround', unsolved: 'Unsolved' },
  zh: { solved: '已解决', workaround: '有变通方案', unsolved: '未解决' },
};

export const INSTALL_LABELS: Record<'helm' | 'compose', string> = { helm: 'Helm (Kubernetes)', compose: 'docker-compose' };

export const SOURCE_LABELS: Record<Lang, Record<string, string>> = {
  en: { 'web-ui': 'web UI', api: 'API response' },
  zh: { 'web-ui': '网页界面', api: 'API 响应' },
};

/** The html `lang` attribute for each site language. */
export const HTML_LANG: Record<Lang, string> = { en: 'en', zh: 'zh-CN' };
