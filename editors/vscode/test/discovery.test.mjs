// Server discovery: the setting, else the bundled binary, else PATH; a clear message otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { findServer, expandSetting } = require('../out/discovery.js');

const base = {
  setting: '',
  extensionPath: '/ext',
  envPath: '/usr/local/bin:/opt/nb/bin',
  home: '/home/u',
  workspaceFolder: '/ws',
  platform: 'linux',
};
const probe = (files, over = {}) => ({ ...base, ...over, isExecutable: (p) => files.includes(p) });

test('the setting wins, with ~ and ${workspaceFolder} expanded', () => {
  const all = ['/home/u/bin/nianbao', '/ext/server/nianbao', '/opt/nb/bin/nianbao', '/ws/target/release/nianbao'];
  assert.deepEqual(findServer(probe(all, { setting: '~/bin/nianbao' })), { ok: true, path: '/home/u/bin/nianbao', source: 'setting' });
  assert.equal(findServer(probe(all, { setting: '${workspaceFolder}/target/release/nianbao' })).path, '/ws/target/release/nianbao');
  assert.equal(findServer(probe(all, { setting: 'target/release/nianbao' })).path, '/ws/target/release/nianbao');
  assert.equal(expandSetting('  /abs/nianbao ', base), '/abs/nianbao');
});

test('a wrong setting is reported, not skipped', () => {
  const r = findServer(probe(['/ext/server/nianbao'], { setting: '/nope/nianbao' }));
  assert.equal(r.ok, false);
  assert.match(r.message, /nianbao\.server\.path/);
  assert.match(r.message, /不存在或不可执行/);
  assert.match(r.message, /does not exist/);
});

test('then the bundled binary, then PATH', () => {
  assert.deepEqual(findServer(probe(['/ext/server/nianbao', '/opt/nb/bin/nianbao'])), { ok: true, path: '/ext/server/nianbao', source: 'bundled' });
  assert.deepEqual(findServer(probe(['/opt/nb/bin/nianbao'])), { ok: true, path: '/opt/nb/bin/nianbao', source: 'path' });
  assert.equal(findServer(probe(['C:\\nb\\nianbao.exe'], { platform: 'win32', envPath: 'C:\\nb', extensionPath: 'C:\\ext' })).ok, true);
});

test('none found: a bilingual message with the fix', () => {
  const r = findServer(probe([]));
  assert.equal(r.ok, false);
  assert.match(r.message, /找不到 nianbao 语言服务器/);
  assert.match(r.message, /not found/);
  assert.match(r.message, /cargo install --path server/);
  assert.deepEqual(r.tried, ['/ext/server/nianbao', '/usr/local/bin/nianbao', '/opt/nb/bin/nianbao']);
});
