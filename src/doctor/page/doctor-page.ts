/**
 * The doctor page in the browser: reads pasted text and dropped or opened files
 * (gzip detected by its magic bytes, inflated with DecompressionStream), keeps
 * them in a log store, runs the shared doctor over each block, and shows the
 * findings and a virtualised, highlighted view of the lines. Nothing leaves the
 * page: the only request is for /signatures.json, which carries no log.
 */
import type { DoctorStrings } from '../../i18n/script-strings.ts';
import { compileSignatures, matchLine, type CompiledSignature } from '../../matcher/signature-matcher.ts';
import { createDoctor, playbookCommand, type Doctor, type DoctorPage, type Finding } from '../findings.ts';
import { createLineSplitter, createLogStore, floorIndex, type LogStore } from './log-store.ts';

interface PageData {
  strings: DoctorStrings;
  pages: { id: string; title: string; href: string }[];
  signaturesUrl: string;
}

/** Height of one log row in pixels (as in the page's CSS). */
const ROW_HEIGHT = 20;
/** Browsers cap element heights; beyond this the scroll position maps proportionally to lines. */
const MAX_SPACER = 4_000_000;
/** Characters of a line shown in the view. */
const SHOWN_CHARS = 2000;

const fill = (template: string, values: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));

function size(chars: number): string {
  if (chars < 1024 * 1024) return `${(chars / 1024).toFixed(1)} KiB`;
  return `${(chars / 1024 / 1024).toFixed(1)} MiB`;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attributes: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

const nextFrame = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

async function isGzip(file: Blob): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  return head[0] === 0x1f && head[1] === 0x8b;
}

export function startDoctorPage(): void {
  const found = document.querySelector<HTMLElement>('[data-doctor]');
  const dataNode = document.querySelector('script[data-doctor-data]');
  if (!found || !dataNode?.textContent) return;
  const root: HTMLElement = found;
  const data = JSON.parse(dataNode.textContent) as PageData;
  const t = data.strings;
  const pageInfo = new Map(data.pages.map((page) => [page.id, page]));
  const q = <T extends HTMLElement>(selector: string) => root.querySelector<T>(selector) as T;

  const status = q<HTMLElement>('[data-status]');
  const results = q<HTMLElement>('[data-results]');
  const findingsList = q<HTMLOListElement>('[data-findings]');
  const logSection = q<HTMLElement>('[data-log-section]');
  const view = q<HTMLElement>('[data-log-view]');
  const spacer = q<HTMLElement>('[data-log-spacer]');
  const rows = q<HTMLElement>('[data-log-rows]');
  const matchStatus = q<HTMLElement>('[data-match-status]');
  const textarea = q<HTMLTextAreaElement>('textarea');
  const fileInput = q<HTMLInputElement>('[data-file-input]');
  const dropzone = q<HTMLElement>('[data-dropzone]');

  const known: Promise<DoctorPage[]> = fetch(data.signaturesUrl)
    .then((response) => response.json() as Promise<{ pages: DoctorPage[] }>)
    .then((body) => body.pages.map((page) => ({ ...page, title: pageInfo.get(page.id)?.title })));

  let compiled: CompiledSignature[] = [];
  let store: LogStore = createLogStore();
  /** Lines (over all sources) that a signature matches, ascending. */
  let matched: number[] = [];
  let current = -1;
  let run = 0;

  // ---- the virtualised view -------------------------------------------------
  const visibleRows = () => Math.ceil(view.clientHeight / ROW_HEIGHT) + 1;
  const fullHeight = () => store.lineCount * ROW_HEIGHT;
  const scaled = () => fullHeight() > MAX_SPACER;

  function firstVisibleLine(): number {
    if (!scaled()) return Math.floor(view.scrollTop / ROW_HEIGHT);
    const range = Math.max(1, spacer.offsetHeight - view.clientHeight);
    return Math.round((view.scrollTop / range) * Math.max(0, store.lineCount - visibleRows()));
  }

  function highlighted(text: string): Node[] {
    const spans: [number, number][] = [];
    for (const hit of matchLine(compiled, text)) {
      const at = text.indexOf(hit.match);
      if (at >= 0 && hit.match.length > 0) spans.push([at, at + hit.match.length]);
    }
    spans.sort((a, b) => a[0] - b[0]);
    const nodes: Node[] = [];
    let at = 0;
    for (const [start, end] of spans) {
      if (end <= at) continue;
      const from = Math.max(start, at);
      if (from > at) nodes.push(document.createTextNode(text.slice(at, from)));
      nodes.push(element('mark', text.slice(from, end)));
      at = end;
    }
    if (at < text.length) nodes.push(document.createTextNode(text.slice(at)));
    return nodes;
  }

  function render(): void {
    const first = Math.max(0, Math.min(firstVisibleLine(), store.lineCount - 1));
    const last = Math.min(store.lineCount, first + visibleRows());
    rows.style.top = `${scaled() ? view.scrollTop : first * ROW_HEIGHT}px`;
    const fragment = document.createDocumentFragment();
    for (let line = first; line < last; line++) {
      const full = store.lineText(line);
      const text = full.length > SHOWN_CHARS ? `${full.slice(0, SHOWN_CHARS)}…` : full;
      const row = element('div', undefined, { class: 'log-row', 'data-line': String(line) });
      row.append(element('span', String(store.origin(line).line), { class: 'no' }));
      const content = element('span', undefined, { class: 'text' });
      const hit = matched[floorIndex(matched, line)] === line;
      if (hit) {
        row.setAttribute('data-hit', '');
        content.append(...highlighted(text));
      } else content.textContent = text;
      if (line === matched[current]) row.setAttribute('data-current', '');
      row.append(content);
      fragment.append(row);
    }
    rows.replaceChildren(fragment);
  }

  let pending = false;
  const scheduleRender = () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => {
      pending = false;
      render();
    });
  };
  view.addEventListener('scroll', scheduleRender);
  window.addEventListener('resize', scheduleRender);

  function showLine(line: number): void {
    current = Math.max(0, floorIndex(matched, line));
    if (scaled()) {
      const range = Math.max(1, spacer.offsetHeight - view.clientHeight);
      view.scrollTop = (line / Math.max(1, store.lineCount - visibleRows())) * range;
    } else view.scrollTop = Math.max(0, line * ROW_HEIGHT - view.clientHeight / 3);
    const origin = store.origin(line);
    matchStatus.textContent = fill(t.matchPosition, { i: current + 1, n: matched.length, line: origin.line, source: origin.source });
    render();
    view.focus();
  }

  const step = (delta: number) => {
    if (matched.length === 0) return;
    const next = current < 0 ? 0 : (current + delta + matched.length) % matched.length;
    showLine(matched[next] as number);
  };
  q<HTMLButtonElement>('[data-previous-match]').addEventListener('click', () => step(-1));
  q<HTMLButtonElement>('[data-next-match]').addEventListener('click', () => step(1));

  // ---- findings ---------------------------------------------------------------
  function renderFindings(findings: Finding[]): void {
    findingsList.replaceChildren(
      ...findings.map((finding) => {
        const page = pageInfo.get(finding.pageId);
        const item = element('li', undefined, { 'data-finding': finding.pageId });
        const heading = element('h3');
        heading.append(element('a', page?.title ?? finding.pageId, { href: page?.href ?? '#' }));
        item.append(heading);
        item.append(element('p', `${fill(t.evidence, { score: finding.score })} · ${fill(t.lines, { n: finding.lines })}`));
        const facts = element('dl');
        const time = (ms: number | undefined) => (ms === undefined ? t.noTime : new Date(ms).toISOString());
        for (const [term, value] of [
          [t.firstSeen, time(finding.firstSeen)],
          [t.lastSeen, time(finding.lastSeen)],
          [t.component, finding.components.join(', ')],
          ...(finding.harbor
            ? ([
                [t.harborVersions, `${finding.harbor.affected.join(' | ')} (${finding.harbor.fixed ? `${t.fixedIn} ${finding.harbor.fixed}` : t.notFixed})`],
              ] as const)
            : []),
        ])
          facts.append(element('dt', term), element('dd', value));
        item.append(facts);
        item.append(element('p', t.example), element('pre', finding.example.text));
        const line = finding.example.line;
        if (line !== undefined) {
          const origin = store.origin(line);
          const button = element('button', fill(t.showLine, { line: origin.line, source: origin.source }), { type: 'button', 'data-show-line': String(line) });
          button.addEventListener('click', () => showLine(line));
          item.append(button);
        }
        item.append(element('p', t.nextStep));
        if (finding.playbooks.length === 0) item.append(element('p', t.noPlaybook));
        for (const name of finding.playbooks) item.append(element('pre', playbookCommand(name)));
        return item;
      }),
    );
  }

  // ---- reading ------------------------------------------------------------------
  interface Input {
    name: string;
    open(): Promise<ReadableStream<string> | string>;
  }

  async function analyse(inputs: Input[]): Promise<void> {
    const id = ++run;
    root.dataset.state = 'reading';
    const pages = await known;
    compiled = compileSignatures(pages.map((page) => ({ id: page.id, signatures: [...page.signatures] })));
    const doctor: Doctor = createDoctor(pages);
    store = createLogStore();
    matched = [];
    current = -1;
    let chars = 0;
    const failures: string[] = [];
    const queue: string[] = [];

    const scanQueued = async (source: string) => {
      while (queue.length > 0) {
        const block = store.addBlock(queue.shift() as string);
        for (const match of doctor.scanner(block.text)) {
          const line = store.lineAt(block, match.start);
          if (doctor.record(match, source, line)) matched.push(line);
        }
        chars += block.text.length;
        status.textContent = fill(t.reading, { source, size: size(chars) });
        await nextFrame();
        if (id !== run) return;
      }
    };

    /** Reads one input through the splitter, scanning as it goes; false when a newer run took over. */
    const readInput = async (input: Input, splitter: ReturnType<typeof createLineSplitter>): Promise<boolean> => {
      const opened = await input.open();
      if (typeof opened === 'string') {
        splitter.push(opened);
        return true;
      }
      const reader = opened.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return true;
        splitter.push(value);
        await scanQueued(input.name);
        if (id !== run) {
          await reader.cancel();
          return false;
        }
      }
    };

    for (const input of inputs) {
      store.beginSource(input.name);
      const splitter = createLineSplitter((text) => queue.push(text));
      try {
        if (!(await readInput(input, splitter))) return;
      } catch (error) {
        failures.push(fill(t.failed, { source: input.name, reason: (error as Error).message || String(error) }));
      }
      splitter.end();
      await scanQueued(input.name);
      if (id !== run) return;
    }

    const findings = doctor.findings();
    const summary = fill(t.done, { lines: store.lineCount, size: size(chars), sources: inputs.map((input) => input.name).join(', ') });
    status.textContent = [...failures, summary, findings.length === 0 ? t.noMatch : ''].filter(Boolean).join(' ');
    renderFindings(findings);
    results.hidden = findings.length === 0;
    logSection.hidden = store.lineCount === 0;
    spacer.style.height = `${Math.min(fullHeight(), MAX_SPACER)}px`;
    view.scrollTop = 0;
    matchStatus.textContent = '';
    render();
    root.dataset.state = 'done';
  }

  const fileInputs = (files: FileList | File[]): Input[] =>
    [...files].map((file) => ({
      name: file.name,
      async open() {
        const bytes = (await isGzip(file)) ? file.stream().pipeThrough(new DecompressionStream('gzip')) : file.stream();
        return bytes.pipeThrough(new TextDecoderStream());
      },
    }));

  q<HTMLButtonElement>('[data-analyse]').addEventListener('click', () => {
    if (textarea.value) void analyse([{ name: t.pasteLabel, open: async () => textarea.value }]);
  });
  fileInput.addEventListener('change', () => {
    if (fileInput.files && fileInput.files.length > 0) void analyse(fileInputs(fileInput.files));
  });
  dropzone.addEventListener('dragover', (event) => {
    event.preventDefault();
    dropzone.setAttribute('data-dragging', '');
  });
  dropzone.addEventListener('dragleave', () => dropzone.removeAttribute('data-dragging'));
  dropzone.addEventListener('drop', (event) => {
    event.preventDefault();
    dropzone.removeAttribute('data-dragging');
    const files = event.dataTransfer?.files;
    if (files && files.length > 0) void analyse(fileInputs(files));
  });
  q<HTMLButtonElement>('[data-clear]').addEventListener('click', () => {
    run++;
    textarea.value = '';
    fileInput.value = '';
    store = createLogStore();
    matched = [];
    findingsList.replaceChildren();
    results.hidden = true;
    logSection.hidden = true;
    status.textContent = '';
    root.dataset.state = 'idle';
  });
}
