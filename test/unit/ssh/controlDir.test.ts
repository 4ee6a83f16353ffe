import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { controlDir, UnsafeControlDirError } from '../../../src/adapters/terminal/controlDir';

function runtimeDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'kup-xdg-')); // 0700, ours: a user's XDG_RUNTIME_DIR
}

test('ssh control folder: $XDG_RUNTIME_DIR/kubeadm-upgrade-ssh, created 0700', () => {
  const xdg = runtimeDir();
  try {
    const dir = controlDir({ XDG_RUNTIME_DIR: xdg }, true);
    assert.equal(dir, path.join(xdg, 'kubeadm-upgrade-ssh'));
    assert.equal((fs.statSync(dir).mode & 0o777).toString(8), '700');
    assert.equal(controlDir({ XDG_RUNTIME_DIR: xdg }, true), dir, 'an existing private one is reused');
  } finally {
    fs.rmSync(xdg, { recursive: true, force: true });
  }
});

test('a pre-created world-writable folder is refused (not chmod-ed, not used)', () => {
  const xdg = runtimeDir();
  try {
    const planted = path.join(xdg, 'kubeadm-upgrade-ssh');
    fs.mkdirSync(planted);
    fs.chmodSync(planted, 0o777);
    assert.throws(() => controlDir({ XDG_RUNTIME_DIR: xdg }, true), (e: Error) => e instanceof UnsafeControlDirError && /mode is 0777, not 0700/.test(e.message));
    assert.equal((fs.statSync(planted).mode & 0o777).toString(8), '777', 'left as it was');
  } finally {
    fs.rmSync(xdg, { recursive: true, force: true });
  }
});

test('a symlink in its place is refused, even to a private folder', () => {
  const xdg = runtimeDir();
  const elsewhere = runtimeDir();
  try {
    fs.symlinkSync(elsewhere, path.join(xdg, 'kubeadm-upgrade-ssh'));
    assert.throws(() => controlDir({ XDG_RUNTIME_DIR: xdg }, true), /symbolic link/);
  } finally {
    fs.rmSync(xdg, { recursive: true, force: true });
    fs.rmSync(elsewhere, { recursive: true, force: true });
  }
});

test('a folder owned by someone else is refused', { skip: process.getuid?.() !== 0 ? 'needs root to chown' : false }, () => {
  const xdg = runtimeDir();
  try {
    const planted = path.join(xdg, 'kubeadm-upgrade-ssh');
    fs.mkdirSync(planted, { mode: 0o700 });
    fs.chownSync(planted, 65534, 65534);
    assert.throws(() => controlDir({ XDG_RUNTIME_DIR: xdg }, true), /owned by uid 65534, not by you/);
  } finally {
    fs.rmSync(xdg, { recursive: true, force: true });
  }
});

test('without XDG_RUNTIME_DIR: a fresh mkdtemp folder, 0700', () => {
  const dir = controlDir({}, true);
  try {
    assert.match(path.basename(dir), /^kubeadm-upgrade-ssh-/);
    assert.equal((fs.statSync(dir).mode & 0o777).toString(8), '700');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
