// Where the `nianbao` server executable comes from: the `nianbao.server.path` setting, else the
// binary bundled in the .vsix (`server/nianbao` inside the extension), else `nianbao` on PATH.
// Pure apart from the file-system probe passed in, so that it can be tested without VS Code.

import * as nodePath from 'node:path';
import * as fs from 'node:fs';

export type Source = 'setting' | 'bundled' | 'path';

export interface Found {
  ok: true;
  path: string;
  source: Source;
}

export interface NotFound {
  ok: false;
  /** A bilingual message for the user, saying what is wrong and how to fix it. */
  message: string;
  /** Every place that was looked at, for the log. */
  tried: string[];
}

export interface Probe {
  /** The `nianbao.server.path` setting, as written ('' when unset). */
  setting: string;
  extensionPath: string;
  /** The PATH environment variable. */
  envPath: string | undefined;
  home: string;
  workspaceFolder: string | undefined;
  platform: NodeJS.Platform;
  /** True when `p` is a regular file that can be executed. */
  isExecutable(p: string): boolean;
}

/** The install hint, Chinese then English. */
export const INSTALL_HINT =
  '安装服务器：在 nianbao 仓库中运行 `cargo install --path server`，或在设置 `nianbao.server.path` 中填写 nianbao 可执行文件的路径。' +
  ' / Install the server with `cargo install --path server` in the nianbao repository, or set `nianbao.server.path` to the nianbao executable.';

export function exeName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? 'nianbao.exe' : 'nianbao';
}

/** Expands `~` and `${workspaceFolder}`, and resolves a relative path against the workspace. */
export function expandSetting(
  setting: string,
  probe: Pick<Probe, 'home' | 'workspaceFolder' | 'platform'>,
): string {
  const path = paths(probe.platform);
  let p = setting.trim();
  if (p === '~' || p.startsWith('~/')) {
    p = path.join(probe.home, p.slice(1));
  }
  if (p.includes('${workspaceFolder}')) {
    p = p.split('${workspaceFolder}').join(probe.workspaceFolder ?? '');
  }
  if (!path.isAbsolute(p) && probe.workspaceFolder) {
    p = path.resolve(probe.workspaceFolder, p);
  }
  return p;
}

/** Path functions of the platform the paths belong to. */
function paths(platform: NodeJS.Platform): typeof nodePath.posix {
  return platform === 'win32' ? nodePath.win32 : nodePath.posix;
}

export function findServer(probe: Probe): Found | NotFound {
  const path = paths(probe.platform);
  const tried: string[] = [];
  const exe = exeName(probe.platform);

  if (probe.setting.trim() !== '') {
    const p = expandSetting(probe.setting, probe);
    if (probe.isExecutable(p)) {
      return { ok: true, path: p, source: 'setting' };
    }
    // A wrong setting is an error, not a reason to quietly run some other server.
    return {
      ok: false,
      tried: [p],
      message:
        `设置 nianbao.server.path 指向的“${p}”不存在或不可执行。请改正该设置，或清空它以使用扩展自带的服务器。` +
        ` / The setting nianbao.server.path points at "${p}", which does not exist or is not executable: correct it, or clear it to use the bundled server.`,
    };
  }

  const bundled = path.join(probe.extensionPath, 'server', exe);
  tried.push(bundled);
  if (probe.isExecutable(bundled)) {
    return { ok: true, path: bundled, source: 'bundled' };
  }

  const sep = probe.platform === 'win32' ? ';' : ':';
  for (const dir of (probe.envPath ?? '').split(sep)) {
    if (dir === '') continue;
    const candidate = path.join(dir, exe);
    tried.push(candidate);
    if (probe.isExecutable(candidate)) {
      return { ok: true, path: candidate, source: 'path' };
    }
  }

  return {
    ok: false,
    tried,
    message:
      '找不到 nianbao 语言服务器：扩展里没有自带的服务器，PATH 上也没有 nianbao。' +
      ' / The nianbao language server was not found: none is bundled with the extension and there is no nianbao on PATH. ' +
      INSTALL_HINT,
  };
}

/**
 * The real probe. A bundled binary may lose its execute bit when the .vsix (a zip) is
 * unpacked: give it back before testing it.
 */
export function isExecutable(p: string, fixMode = false): boolean {
  try {
    const st = fs.statSync(p);
    if (!st.isFile()) return false;
    if (process.platform === 'win32') return true;
    if (fixMode && (st.mode & 0o111) === 0) {
      fs.chmodSync(p, st.mode | 0o755);
    }
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
