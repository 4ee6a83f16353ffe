import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sshSettingsFor } from '../../../src/core/ssh/perCluster';

const global = { sshConfigFile: '/home/me/.ssh/config', sshHosts: { 'cp-1': 'cp-1.a.example', 'worker-1': 'w1.a.example' } };
const clusters = {
  'kubernetes-admin@kubernetes (https://10.0.0.2:6443)': { configFile: '/home/me/.ssh/config-b' },
  'https://10.0.0.3:6443/': { hosts: { 'cp-1': 'admin@10.0.0.31' } },
};

test('a cluster with its own entry gets its ssh_config and host map; others keep the global ones', () => {
  assert.deepEqual(sshSettingsFor(global, clusters, 'kubernetes-admin@kubernetes (https://10.0.0.2:6443)', 'https://10.0.0.2:6443'), { sshConfigFile: '/home/me/.ssh/config-b', sshHosts: global.sshHosts });
  assert.deepEqual(sshSettingsFor(global, clusters, 'kubernetes-admin@kubernetes', 'https://10.0.0.3:6443'), { sshConfigFile: global.sshConfigFile, sshHosts: { 'cp-1': 'admin@10.0.0.31', 'worker-1': 'w1.a.example' } }, 'by server URL, trailing slash ignored, hosts merged');
  assert.equal(sshSettingsFor(global, clusters, 'kubernetes-admin@kubernetes', 'https://10.0.0.1:6443'), global);
});
