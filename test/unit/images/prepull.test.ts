// The pre-pull step's shell (Upgrade Node/Cluster, before the drain) run by a real /bin/sh, with `kubeadm` and
// `crictl` answering as kubeadm 1.36 and crictl 1.34 do (their lines from cmd/kubeadm/app/cmd/config.go and
// cri-tools' image.go), over an image store in a temp folder: it pulls only when an image is missing, fails when
// one is still missing after the pull, and fails when kubeadm lists nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { prepullCommand } from '../../../src/core/images/targetImages';

const LIST = ['registry.k8s.io/kube-apiserver:v1.36.3', 'registry.k8s.io/kube-controller-manager:v1.36.3', 'registry.k8s.io/etcd:3.6.8-0'];

function node(o: { have: string[]; pullBrings?: string[]; listFails?: boolean }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prepull-'));
  const store = path.join(dir, 'images');
  fs.writeFileSync(store, o.have.map((i) => `${i}\n`).join(''));
  const calls = path.join(dir, 'calls');
  const script = (name: string, body: string) => fs.writeFileSync(path.join(dir, name), `#!/bin/sh\necho "${name} $*" >> ${calls}\n${body}\n`, { mode: 0o755 });
  script('kubeadm', [
    'case "$1 $2 $3" in',
    `  "config images list") ${o.listFails ? 'echo "error: this version of kubeadm only supports deploying clusters with the control plane version >= 1.35.0" >&2; exit 1' : `printf '%s\\n' ${LIST.join(' ')}`} ;;`,
    `  "config images pull") for i in ${(o.pullBrings ?? LIST).join(' ')}; do echo "$i" >> ${store}; echo "[config/images] Pulled $i"; done ;;`,
    'esac',
  ].join('\n'));
  script('crictl', `[ "$1" = inspecti ] && grep -qxF "$2" ${store} || { echo "time=\\"x\\" level=fatal msg=\\"no such image \\\\\\"$2\\\\\\" present\\"" >&2; exit 1; }`);
  script('hostname', 'echo cp-1');
  const r = spawnSync('/bin/sh', ['-c', String(prepullCommand({ target: 'v1.36.3', imageRepository: 'registry.k8s.io' }))], { encoding: 'utf8', env: { PATH: `${dir}:/usr/bin:/bin` } });
  const pulled = fs.readFileSync(calls, 'utf8').split('\n').filter((l) => l.startsWith('kubeadm config images pull'));
  fs.rmSync(dir, { recursive: true, force: true });
  return { ...r, pulled: pulled.length };
}

test('every image there: nothing pulled (an air-gapped node that holds them passes)', () => {
  const r = node({ have: LIST });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.pulled, 0);
  assert.match(r.stdout, /^all images of v1\.36\.3 are on cp-1 already: nothing to pull$/m);
});

test('one missing: kubeadm config images pull, then every image looked up again', () => {
  const r = node({ have: LIST.slice(1) });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.pulled, 1);
  assert.match(r.stdout, /not on cp-1 yet: registry\.k8s\.io\/kube-apiserver:v1\.36\.3/);
  assert.match(r.stdout, /\[config\/images\] Pulled registry\.k8s\.io\/etcd:3\.6\.8-0/);
  assert.match(r.stdout, /^all images of v1\.36\.3 are on cp-1$/m);
});

test('still missing after the pull: exit 1 naming it, before any downtime', () => {
  const r = node({ have: [], pullBrings: LIST.slice(0, 2) });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /still missing after the pull: registry\.k8s\.io\/etcd:3\.6\.8-0/);
});

test('kubeadm lists nothing (its error): exit 1, never "all images are there"', () => {
  const r = node({ have: LIST, listFails: true });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /only supports deploying clusters/);
  assert.match(r.stderr, /kubeadm config images list named no image of v1\.36\.3/);
  assert.doesNotMatch(r.stdout, /all images/);
});
