/// <reference types="vite/client" />
/**
 * The scenario's JSON in Monaco. This module is imported only when the
 * reader opens the editor, so Monaco (about a megabyte) never loads for
 * anyone else. Completion and hover come from the JSON Schema the engine
 * worker builds from the scenario schema and the QAPI schema; the
 * authoritative problems (checkScenario's, with their paths) are set as
 * markers by the simulator, Monaco's own schema findings stay warnings.
 */
import * as monaco from 'monaco-editor/editor';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/suggest/register';
// The suggest widget itself; the features/ entries bring it only through inline completions.
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/features/snippet/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/gotoError/register';
import 'monaco-editor/features/toggleTabFocusMode/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/clipboard/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/languages/features/json/json.worker?worker';
import { locate, parseLocated, type Located, type Span } from './json-locate.ts';

export interface EditorProblem {
  offset: number;
  length: number;
  message: string;
}

export interface ScenarioEditorHandle {
  getText(): string;
  /** Replaces the whole text as one undoable edit, without reporting it as the reader's change. */
  replaceText(text: string): void;
  setSchema(schema: object): void;
  setProblems(problems: EditorProblem[]): void;
  parse(text: string): Located;
  locate(parsed: Located & { ok: true }, path: string): Span;
  positionOf(offset: number): { line: number; column: number };
  reveal(offset: number): void;
  focus(): void;
}

export interface EditorOptions {
  text: string;
  onChange(text: string): void;
  ariaLabel: string;
}

const MODEL_URI = 'inmemory://netdev-stream-lab/scenario.json';
const OWNER = 'scenario';

const themeOf = (doc: Document) => (doc.documentElement.dataset.theme === 'light' ? 'vs' : 'vs-dark');

export async function createScenarioEditor(host: HTMLElement, opts: EditorOptions): Promise<ScenarioEditorHandle> {
  const g = globalThis as unknown as { MonacoEnvironment?: unknown };
  g.MonacoEnvironment ??= {
    getWorker: (_id: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
  };
  const uri = monaco.Uri.parse(MODEL_URI);
  const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(opts.text, 'json', uri);
  const doc = host.ownerDocument;
  const editor = monaco.editor.create(host, {
    model,
    theme: themeOf(doc),
    automaticLayout: true,
    minimap: { enabled: false },
    fontSize: 13,
    tabSize: 2,
    scrollBeyondLastLine: false,
    ariaLabel: opts.ariaLabel,
    accessibilitySupport: 'auto',
    fixedOverflowWidgets: true,
    // The classic hidden textarea, not Chromium's new EditContext: it is what screen
    // readers and browser automation have long been tested with.
    editContext: false,
  });
  // Starlight switches themes by setting data-theme on <html>.
  new MutationObserver(() => monaco.editor.setTheme(themeOf(doc))).observe(doc.documentElement, {
    attributes: true,
    attributeFilter: ['data-theme'],
  });
  let silent = false;
  model.onDidChangeContent(() => {
    if (!silent) opts.onChange(model.getValue());
  });
  const position = (offset: number) => {
    const p = model.getPositionAt(offset);
    return { line: p.lineNumber, column: p.column };
  };
  return {
    getText: () => model.getValue(),
    replaceText(text) {
      if (text === model.getValue()) return;
      silent = true;
      try {
        model.pushEditOperations([], [{ range: model.getFullModelRange(), text }], () => null);
      } finally {
        silent = false;
      }
    },
    setSchema(schema) {
      jsonDefaults.setDiagnosticsOptions({
        validate: true,
        allowComments: false,
        trailingCommas: 'error',
        comments: 'error',
        schemaValidation: 'warning',
        enableSchemaRequest: false,
        schemas: [{ uri: 'https://netdev-stream-lab.invalid/scenario.schema.json', fileMatch: [MODEL_URI], schema }],
      });
    },
    setProblems(problems) {
      monaco.editor.setModelMarkers(
        model,
        OWNER,
        problems.map((p) => {
          const a = model.getPositionAt(p.offset);
          const b = model.getPositionAt(p.offset + Math.max(1, p.length));
          return {
            severity: monaco.MarkerSeverity.Error,
            message: p.message,
            startLineNumber: a.lineNumber,
            startColumn: a.column,
            endLineNumber: b.lineNumber,
            endColumn: b.column,
          };
        }),
      );
    },
    parse: parseLocated,
    locate: (parsed, path) => locate(parsed.tree, path),
    positionOf: position,
    reveal(offset) {
      const p = model.getPositionAt(offset);
      editor.setPosition(p);
      editor.revealPositionInCenter(p);
      editor.focus();
    },
    focus: () => editor.focus(),
  };
}
