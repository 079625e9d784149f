// The nianbao extension: starts `nianbao lsp` through vscode-languageclient for documents of the
// language `nianbao`, and offers commands: check this file as a report, open a Word document as
// report text, fix the totals in the Word file (./word.ts), restart the server, show the server log.

import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
} from 'vscode-languageclient/node';

import { findServer, isExecutable, type Found } from './discovery';
import { WORD_SCHEME, WordDocuments, fixWord, openWord } from './word';

const LANGUAGE = 'nianbao';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let starting: Promise<void> | undefined;
/** The server executable found at the last start (the command line runs it for Word documents). */
let serverExecutable: string | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('nianbao', { log: true });
  context.subscriptions.push(output);

  const words = new WordDocuments(() => serverExecutable ?? serverPath(context)?.path, output);
  context.subscriptions.push(
    words,
    vscode.workspace.registerTextDocumentContentProvider(WORD_SCHEME, words),
    vscode.commands.registerCommand('nianbao.openWord', (resource: unknown) => openWord(resource, output)),
    vscode.commands.registerCommand('nianbao.fixWord', (resource: unknown) =>
      fixWord(resource, serverExecutable ?? serverPath(context)?.path, words),
    ),
    vscode.commands.registerCommand('nianbao.checkAsReport', checkAsReport),
    vscode.commands.registerCommand('nianbao.restartServer', () => restart(context)),
    vscode.commands.registerCommand('nianbao.showServerLog', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('nianbao.server.path')) {
        output.info('nianbao.server.path 已改变，重启服务器 / nianbao.server.path changed: restarting the server');
        void restart(context);
      }
    }),
  );

  await start(context);
}

export async function deactivate(): Promise<void> {
  await stop();
}

/** Switches the active editor's document to the nianbao language (which starts checking it). */
async function checkAsReport(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showWarningMessage('没有打开的文件。/ No file is open.');
    return;
  }
  await vscode.languages.setTextDocumentLanguage(editor.document, LANGUAGE);
}

function serverPath(context: vscode.ExtensionContext): Found | undefined {
  const config = vscode.workspace.getConfiguration('nianbao');
  const bundledDir = path.join(context.extensionPath, 'server');
  const result = findServer({
    setting: config.get<string>('server.path', ''),
    extensionPath: context.extensionPath,
    envPath: process.env.PATH,
    home: os.homedir(),
    workspaceFolder: vscode.workspace.workspaceFolders?.[0]?.uri.fsPath,
    platform: process.platform,
    isExecutable: (p) => isExecutable(p, p.startsWith(bundledDir + path.sep)),
  });
  if (result.ok) {
    output.info(`nianbao 服务器 / server: ${result.path} (${result.source})`);
    return result;
  }
  output.error(result.message);
  output.error(`已查找 / looked at: ${result.tried.join(', ')}`);
  const openSettings = '打开设置 / Open Settings';
  const showLog = '查看日志 / Show Log';
  void vscode.window.showErrorMessage(result.message, openSettings, showLog).then((choice) => {
    if (choice === openSettings) {
      void vscode.commands.executeCommand('workbench.action.openSettings', 'nianbao.server.path');
    } else if (choice === showLog) {
      output.show(true);
    }
  });
  return undefined;
}

/**
 * The channel vscode-languageclient traces to. The client traces only when that channel's log
 * level is Trace; here the level follows the setting `nianbao.trace.server` instead (off → no
 * trace; messages / verbose → trace), and the trace lines go to the nianbao log at level info,
 * so that the setting alone turns tracing on, as users expect.
 */
function traceChannel(log: vscode.LogOutputChannel, subscriptions: vscode.Disposable[]): vscode.LogOutputChannel {
  const level = () =>
    vscode.workspace.getConfiguration('nianbao').get<string>('trace.server', 'off') === 'off'
      ? vscode.LogLevel.Info
      : vscode.LogLevel.Trace;
  let current = level();
  const changed = new vscode.EventEmitter<vscode.LogLevel>();
  subscriptions.push(
    changed,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('nianbao.trace.server') && level() !== current) {
        current = level();
        changed.fire(current);
      }
    }),
  );
  const line = (message: string | Error, ...args: unknown[]) =>
    log.info(args.length ? `${String(message)} ${args.map((a) => JSON.stringify(a)).join(' ')}` : String(message));
  return {
    name: log.name,
    get logLevel() {
      return current;
    },
    onDidChangeLogLevel: changed.event,
    trace: line,
    debug: line,
    info: line,
    warn: line,
    error: line,
    append: (v) => log.append(v),
    appendLine: (v) => log.appendLine(v),
    replace: (v) => log.replace(v),
    clear: () => log.clear(),
    show: (...a: unknown[]) => log.show(a[0] as boolean | undefined),
    hide: () => log.hide(),
    dispose: () => {},
  };
}

function initializationOptions(): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('nianbao');
  return {
    template: config.get<string>('template', 'auto'),
    severity: config.get<Record<string, string>>('severity', {}),
  };
}

let trace: vscode.LogOutputChannel | undefined;

async function start(context: vscode.ExtensionContext): Promise<void> {
  trace ??= traceChannel(output, context.subscriptions);
  const found = serverPath(context);
  if (!found) return;
  serverExecutable = found.path;

  const run = { command: found.path, args: ['lsp', '--stdio'] };
  const serverOptions: ServerOptions = { run, debug: run };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: LANGUAGE, scheme: 'file' },
      { language: LANGUAGE, scheme: 'untitled' },
      // The text views of Word documents (./word.ts).
      { language: LANGUAGE, scheme: WORD_SCHEME },
    ],
    synchronize: { configurationSection: 'nianbao' },
    initializationOptions: initializationOptions(),
    outputChannel: output,
    traceOutputChannel: trace,
    revealOutputChannelOn: RevealOutputChannelOn.Never,
  };
  // The id `nianbao` makes the client read `nianbao.trace.server` (messages or verbose).
  const c = new LanguageClient('nianbao', 'nianbao', serverOptions, clientOptions);
  client = c;
  try {
    await c.start();
    output.info(`nianbao ${c.initializeResult?.serverInfo?.version ?? ''} 已启动 / started`);
  } catch (e) {
    const message =
      `nianbao 语言服务器启动失败：${String(e)}。请查看日志，或检查设置 nianbao.server.path。` +
      ` / The nianbao language server failed to start: ${String(e)}. See the log, or check nianbao.server.path.`;
    output.error(message);
    void vscode.window.showErrorMessage(message);
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c) {
    try {
      await c.stop();
    } catch (e) {
      output.warn(`停止服务器时出错 / error while stopping the server: ${String(e)}`);
    }
  }
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  // Serialise restarts: a second request waits for the first.
  const previous = starting ?? Promise.resolve();
  starting = previous.then(async () => {
    output.info('重启 nianbao 服务器 / restarting the nianbao server');
    await stop();
    await start(context);
  });
  await starting;
}
