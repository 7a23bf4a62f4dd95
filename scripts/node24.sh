# Sourced by the other scripts: puts Node.js 24 first on PATH, installing it from the
# npm registry into ~/.local/node24 when the machine has an older Node (Astro 7 and
# Vitest 5 need Node >= 22.12, and bin/harbor-kb.mjs runs the .ts sources directly, which
# package.json's engines pins to 24; these machines ship Node 20).
NODE24_PREFIX="${NODE24_PREFIX:-$HOME/.local/node24}"
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 24 ]; then
  if [ ! -x "$NODE24_PREFIX/bin/node" ]; then
    echo "harbor-kb: installing Node.js 24 into $NODE24_PREFIX" >&2
    npm i -g --prefix "$NODE24_PREFIX" node@24 >&2
  fi
  export PATH="$NODE24_PREFIX/bin:$PATH"
fi
if [ "$(node_major)" -lt 24 ]; then
  echo "harbor-kb: Node.js 24 is required and could not be installed (node is $(node --version 2>/dev/null))" >&2
  exit 1
fi
