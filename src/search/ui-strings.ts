/** Interface strings of the search page, per language. */
import { STATUS_LABELS } from '../i18n/ui.ts';
import type { Lang } from '../schemas/issue.ts';

export const SEARCH_UI = {
  en: {
    pageTitle: 'Search',
    queryLabel: 'Paste an error or describe the problem',
    queryHint: 'Enter searches; Shift+Enter adds a line. Paste whole log excerpts: timestamps, ids and addresses are ignored.',
    filters: 'Filters',
    filterVersion: 'Harbor version(s)',
    filterVersionHint: 'e.g. 1.9.4, 1.8',
    filterInstall: 'Install method',
    filterComponent: 'Component',
    submit: 'Search',
    results: 'Results',
    needsScript: 'Search runs in your browser and needs JavaScript.',
    noMatchHelp: 'Try the line that carries the error message itself, or browse every known problem on the home page.',
    browseAll: 'Browse all known problems',
    signatureHit: 'Your paste matches this problem’s log signature',
    uncertain: 'Uncertain match',
    otherProblemSource: 'Where this problem is discussed',
    homeHint: 'Paste a whole error or log excerpt into the search box (press / to get there): timestamps, ids and addresses are ignored, and every line counts.',
    homeHintLink: 'Open the search page',
  },
  zh: {
    pageTitle: '搜索',
    queryLabel: '粘贴报错,或描述遇到的问题',
    queryHint: '回车搜索,Shift+回车换行。可以直接粘贴整段日志:时间戳、ID 和地址会被忽略。',
    filters: '筛选',
    filterVersion: 'Harbor 版本',
    filterVersionHint: '例如 1.9.4, 1.8',
    filterInstall: '安装方式',
    filterComponent: '组件',
    submit: '搜索',
    results: '搜索结果',
    needsScript: '搜索在浏览器中运行,需要启用 JavaScript。',
    noMatchHelp: '试试只搜索包含报错信息本身的那一行,或在首页浏览全部已知问题。',
    browseAll: '浏览全部已知问题',
    signatureHit: '粘贴内容与该问题的日志特征完全吻合',
    uncertain: '不确定是否相符',
    otherProblemSource: '该问题的相关讨论',
    homeHint: '把完整的报错或一段日志粘贴到搜索框(按 / 即可跳到搜索框):时间戳、ID 和地址会被忽略,每一行都会参与匹配。',
    homeHintLink: '打开搜索页',
  },
} as const satisfies Record<Lang, Record<string, string>>;

/** What the search page's script writes into the page, in one language. */
export interface SearchScriptText {
  searching: string;
  failed: string;
  /** The result count, for one result and for `{n}` results. */
  resultOne: string;
  resultMany: string;
  empty: string;
  noMatch: string;
  noMatchFiltered: string;
  /** No page is conclusive; the closest ones follow as uncertain suggestions. */
  noMatchSuggestions: string;
  /** The paste carries a well-known problem with no page here; `{what}` names it. */
  otherProblem: string;
  /** Before the version ranges of a result. */
  harbor: string;
  statusLabels: (typeof STATUS_LABELS)[Lang];
}

/**
 * The script's strings travel in the page, in the page's language only (search.astro),
 * so the script every first search downloads carries no strings of either language.
 */
export const SEARCH_SCRIPT_TEXT: Record<Lang, SearchScriptText> = {
  en: {
    searching: 'Searching…',
    failed: 'Search could not load its index',
    resultOne: '1 matching problem',
    resultMany: '{n} matching problems',
    empty: 'Type or paste an error to search the known problems.',
    noMatch: 'No known problem matches this error.',
    noMatchFiltered: 'No known problem matches this error with the filters you chose; try removing a filter.',
    noMatchSuggestions: 'No known problem matches this for certain. These pages come closest; check that their symptoms are yours:',
    otherProblem: 'This looks like another Harbor problem, which this knowledge base has no page for: {what}.',
    harbor: 'Harbor',
    statusLabels: STATUS_LABELS.en,
  },
  zh: {
    searching: '正在搜索…',
    failed: '搜索索引加载失败',
    resultOne: '找到 1 个相关问题',
    resultMany: '找到 {n} 个相关问题',
    empty: '输入或粘贴报错信息,搜索已知问题。',
    noMatch: '没有与这条报错相符的已知问题。',
    noMatchFiltered: '在所选筛选条件下没有相符的已知问题;请尝试去掉某个筛选条件。',
    noMatchSuggestions: '没有能确定相符的已知问题。下面几个问题最接近,请对照症状确认:',
    otherProblem: '这看起来是另一个 Harbor 问题,本知识库还没有收录:{what}。',
    harbor: 'Harbor',
    statusLabels: STATUS_LABELS.zh,
  },
};
