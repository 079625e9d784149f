// Word documents in VS Code: a .docx opens as a read-only text view (the URI scheme
// `nianbao-word`, its content the text `nianbao convert` prints), checked by the language server
// like any report; “fix totals in the Word file” runs `nianbao check --fix` on the .docx.
//
// The fix runs the command line rather than an LSP request: the server works on text documents
// and the view is the extracted text, while the fix must rewrite the binary .docx on disk — the
// command line already does that (cell by cell, atomically, reading the result back before
// writing it), and the extension knows the file's path. The view is then refreshed from the
// file, and the server sees the new text as an ordinary change.

import * as vscode from 'vscode';

import { fixOutcome, runCli } from './cli';

export const WORD_SCHEME = 'nianbao-word';

/** The text views of Word documents. */
export class WordDocuments implements vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly server: () => string | undefined,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const server = this.server();
    if (!server) throw new Error('找不到 nianbao 可执行文件。/ The nianbao executable was not found.');
    const result = await runCli(server, ['convert', fileOf(uri).fsPath]);
    if (result.code !== 0) {
      const message = result.stderr.trim() || `nianbao convert 退出码 ${String(result.code)}`;
      this.log.error(message);
      throw new Error(message);
    }
    for (const note of result.stderr.split('\n').filter((l) => l.trim())) this.log.info(note);
    return result.stdout;
  }

  refresh(uri: vscode.Uri): void {
    this.changed.fire(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/**
 * The file on disk behind a URI: its path only. A remote window (code-server, Remote SSH) names
 * files `vscode-remote://host/…`; the extension host runs where the files are, so the path is
 * the one to give the command line.
 */
function fileOf(uri: vscode.Uri): vscode.Uri {
  return vscode.Uri.file(uri.path);
}

/** The text view of a Word document. */
function viewOf(uri: vscode.Uri): vscode.Uri {
  return uri.scheme === WORD_SCHEME ? uri : vscode.Uri.from({ scheme: WORD_SCHEME, path: uri.path });
}

/** The file a command is about: its argument (a menu's resource), else the active tab's. */
function target(resource: unknown): vscode.Uri | undefined {
  if (resource instanceof vscode.Uri) return resource;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input as { uri?: unknown } | undefined;
  if (input?.uri instanceof vscode.Uri) return input.uri;
  return vscode.window.activeTextEditor?.document.uri;
}

/** Opens a Word document's text view, checked as a report. */
export async function openWord(resource: unknown, log: vscode.LogOutputChannel): Promise<void> {
  let uri = target(resource);
  if (!uri || (uri.scheme !== WORD_SCHEME && !uri.path.toLowerCase().endsWith('.docx'))) {
    const picked = await vscode.window.showOpenDialog({
      canSelectMany: false,
      filters: { 'Word 文档': ['docx'] },
      openLabel: '以年报文本打开 / Open as report text',
    });
    uri = picked?.[0];
    if (!uri) return;
  }
  const view = viewOf(uri);
  log.info(`打开 Word 文档 / opening ${view.toString()}`);
  try {
    let doc = await vscode.workspace.openTextDocument(view);
    if (doc.languageId !== 'nianbao') doc = await vscode.languages.setTextDocumentLanguage(doc, 'nianbao');
    await vscode.window.showTextDocument(doc, { preview: false });
  } catch (e) {
    const message = `无法打开 ${fileOf(uri).fsPath}：${e instanceof Error ? e.message : String(e)}`;
    log.error(message);
    void vscode.window.showErrorMessage(message);
  }
}

/** Writes the safe fixes into the Word document on disk, then refreshes its text view. */
export async function fixWord(resource: unknown, server: string | undefined, documents: WordDocuments): Promise<void> {
  const uri = target(resource);
  if (!uri || (uri.scheme !== WORD_SCHEME && !uri.path.toLowerCase().endsWith('.docx'))) {
    void vscode.window.showWarningMessage('请先打开一个 Word 文档（.docx）。/ Open a Word document (.docx) first.');
    return;
  }
  if (!server) {
    void vscode.window.showErrorMessage('找不到 nianbao 可执行文件。/ The nianbao executable was not found.');
    return;
  }
  const file = fileOf(uri);
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `改正 ${vscode.workspace.asRelativePath(file)} …` },
    () => runCli(server, ['check', '--fix', '--format', 'json', file.fsPath]),
  );
  const outcome = fixOutcome(result);
  switch (outcome.kind) {
    case 'fixed':
      documents.refresh(viewOf(uri));
      void vscode.window.showInformationMessage(`Word 文档已改正：${outcome.message}`);
      break;
    case 'unchanged':
      void vscode.window.showInformationMessage(outcome.message);
      break;
    case 'refused':
    case 'error':
      void vscode.window.showErrorMessage(outcome.message);
      break;
  }
}
