#!/usr/bin/env node
/**
 * The npm registry reachable here serves only linux-x64 builds of platform-specific optional
 * packages (Biome's CLI, msgpackr's prebuilds), so `npm install` leaves the others out of
 * package-lock.json, and `npm ci` then refuses the lockfile. This adds the missing entries,
 * with the os/cpu/libc npm needs to skip them on other machines. Run it after changing
 * dependencies:  node scripts/lockfile-platforms.mjs
 */
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORM =
  /-(android|darwin|freebsd|linux|openbsd|sunos|win32)-(arm64|arm|ia32|x64|ppc64|s390x|riscv64)(?:-(musl|gnu))?$/;
const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const [path, pkg] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    const match = PLATFORM.exec(name);
    if (packages[key] || !match) continue;
    const [, os, cpu, libc] = match;
    packages[key] = {
      version,
      cpu: [cpu],
      ...(pkg.dev ? { dev: true } : {}),
      ...(libc ? { libc: [libc === 'gnu' ? 'glibc' : libc] } : {}),
      license: pkg.license ?? 'MIT',
      optional: true,
      os: [os],
    };
    added += 1;
    console.log(
      `added ${key}@${version} (${os}/${cpu}${libc ? `/${libc}` : ''}) for ${path || 'the root'}`,
    );
  }
}
const { '': root, ...rest } = packages;
lock.packages = {
  '': root,
  ...Object.fromEntries(Object.entries(rest).sort(([a], [b]) => a.localeCompare(b))),
};
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(added ? `${added} entries added` : 'lockfile already complete');
