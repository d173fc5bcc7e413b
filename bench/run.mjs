// `cargo xtask bench` runner: bundles the peers, weighs every package, then drives one headless
// Chromium page that runs the same SRP client step in each implementation and the package's flows
// against the emulator. Usage: node run.mjs <package dir> <site dir> <page url> <results.json>
// <shipped package dir> <srp crate dir>. The xtask serves <site dir> at <page url> (plus /config.json) before it
// starts this script; <srp crate dir> is bench/srp-crate built by wasm-pack (the RustCrypto srp crate's row).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const [pkgDir, siteDir, pageUrl, resultsPath, shippedDir, srpCrateDir] = process.argv.slice(2);
// Weighed: the package as published (shippedDir, no test-only exports); pkgDir, which the page loads, carries them.
if (!srpCrateDir) {
  console.error('usage: node run.mjs <package dir> <site dir> <page url> <results.json> <shipped package dir> ' +
    '<srp crate dir>');
  process.exit(2);
}
const WARMUP = Number(process.env.BENCH_WARMUP ?? 5);
const N = Number(process.env.BENCH_N ?? 30);
const INSTANTIATE_N = 10;
const IMPLS = ['cognito-totp', 'amazon-cognito-identity-js', 'amplify'];
// Not a peer: cognito-totp's sign-in after CognitoTotp.prepare() computed A ahead (measured the same way).
const PREPARED = 'cognito-totp after prepare()';
// Not a peer either: the same step by the RustCrypto srp crate (crypto-bigint) in wasm, what mont/ replaces.
const SRP_CRATE = 'srp crate (wasm)';
const MEASURED = [...IMPLS, PREPARED, SRP_CRATE];
// The flags e2e/demo.test.mjs uses.
const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

const gzip = (bytes) => gzipSync(bytes, { level: 9 }).length;

async function bundle(entry, outfile) {
  await build({
    entryPoints: [join(here, 'src', entry)], outfile, bundle: true, minify: true, format: 'esm',
    platform: 'browser', logLevel: 'warning',
    // amazon-cognito-identity-js reads Node's `global`; apps shim it the same way.
    define: { global: 'globalThis' },
  });
  return readFileSync(outfile);
}

async function prepareSite() {
  mkdirSync(join(siteDir, 'peers'), { recursive: true });
  mkdirSync(join(siteDir, 'pkg'), { recursive: true });
  cpSync(join(here, 'page'), siteDir, { recursive: true });
  cpSync(pkgDir, join(siteDir, 'pkg'), { recursive: true });
  cpSync(srpCrateDir, join(siteDir, 'srp-crate'), { recursive: true });
  await bundle('identity-srp.mjs', join(siteDir, 'peers', 'identity-srp.js'));
  await bundle('amplify-srp.mjs', join(siteDir, 'peers', 'amplify-srp.js'));
}

/** gzip -9 of what an app downloads for the whole capability (sign-in, MFA, TOTP enrollment, QR). */
async function sizes() {
  const out = join(dirname(resultsPath), 'bundles');
  mkdirSync(out, { recursive: true });
  const wasm = readFileSync(join(shippedDir, 'cognito_totp_bg.wasm'));
  // The entry (wasm-bindgen's module for the whole client, with its snippets) bundled and minified as an app's
  // bundler would: the treatment the peers get.
  await build({
    entryPoints: [join(shippedDir, 'cognito_totp.js')], bundle: true, minify: true, format: 'esm', platform: 'browser',
    outfile: join(out, 'cognito-totp.js'), logLevel: 'warning',
  });
  const glueBytes = readFileSync(join(out, 'cognito-totp.js'));
  const identity = await bundle('identity-full.mjs', join(out, 'identity-full.js'));
  const amplify = await bundle('amplify-full.mjs', join(out, 'amplify-full.js'));
  return {
    bundle_gzip_bytes: {
      'cognito-totp': gzip(wasm) + gzip(glueBytes),
      'amazon-cognito-identity-js': gzip(identity),
      amplify: gzip(amplify),
    },
    bundle_raw_bytes: {
      'cognito-totp': wasm.length + glueBytes.length,
      'amazon-cognito-identity-js': identity.length,
      amplify: amplify.length,
    },
    cognito_totp_parts_gzip_bytes: { wasm: gzip(wasm), glue: gzip(glueBytes) },
  };
}

function quantile(values, q) {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}
const round = (x) => Math.round(x * 100) / 100;
const stats = (values) => ({ median: round(quantile(values, 0.5)), p90: round(quantile(values, 0.9)) });

function machine(browserVersion) {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  const nproc = Number(execFileSync('nproc').toString().trim());
  return { nproc, cpu: model, chromium: browserVersion };
}

async function threadTime(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = metrics.find((x) => x.name === 'ThreadTime');
  if (!m) throw new Error('CDP Performance.getMetrics has no ThreadTime');
  return m.value * 1000;
}

async function measure() {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()} for ${r.url()}`); });
    await page.goto(pageUrl);
    await page.waitForFunction(() => window.bench !== undefined, null, { timeout: 30000 }).catch(() => {
      throw new Error(`the bench page did not load: ${errors.join('; ') || 'no error reported'}`);
    });
    await page.evaluate(() => window.bench.load());
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });

    const config = await page.evaluate(() => fetch('./config.json').then((r) => r.json()));
    const outputs = {};
    for (const name of MEASURED) {
      if (name === PREPARED) await page.evaluate(() => window.bench.prepare());
      outputs[name] = await page.evaluate((n) => window.bench.run(n), name);
    }
    const expected = config.srp.expected;
    for (const name of MEASURED) {
      const o = outputs[name];
      if (o.signature !== expected.signature || o.srpA !== expected.srpA) {
        throw new Error(`${name} disagrees: signature ${o.signature} (expected ${expected.signature}), ` +
          `SRP_A ${o.srpA.slice(0, 16)}… (expected ${expected.srpA.slice(0, 16)}…)`);
      }
    }

    const cpu = Object.fromEntries(MEASURED.map((n) => [n, []]));
    const wall = Object.fromEntries(MEASURED.map((n) => [n, []]));
    for (let i = 0; i < WARMUP + N; i++) {
      // Rotate the order each round so no implementation always runs right after the same other one.
      const order = MEASURED.map((_, j) => MEASURED[(i + j) % MEASURED.length]);
      for (const name of order) {
        if (name === PREPARED) await page.evaluate(() => window.bench.prepare());
        const before = await threadTime(cdp);
        const r = await page.evaluate((n) => window.bench.run(n), name);
        const after = await threadTime(cdp);
        if (r.signature !== expected.signature) throw new Error(`${name}: signature changed between runs`);
        if (i >= WARMUP) {
          cpu[name].push(after - before);
          wall[name].push(r.ms);
        }
      }
    }
    const instantiate = await page.evaluate((n) => window.bench.instantiate(n), INSTANTIATE_N);
    const flows = await page.evaluate(() => window.bench.flows());
    if (errors.length) throw new Error(`the page reported errors: ${errors.join('; ')}`);
    return { cpu, wall, instantiate, flows, browserVersion: browser.version() };
  } finally {
    await browser.close();
  }
}

const PROTOCOL_MINIMUM = { totp_sign_in: 3, enrollment: 3, mfa_setup_sign_in: 5 };

await prepareSite();
const size = await sizes();
const m = await measure();
const cpuStats = Object.fromEntries(MEASURED.map((n) => [n, stats(m.cpu[n])]));
const wallStats = Object.fromEntries(MEASURED.map((n) => [n, stats(m.wall[n])]));
const results = {
  date: new Date().toISOString(),
  machine: machine(m.browserVersion),
  n: N,
  warmup: WARMUP,
  srp_cpu_ms: Object.fromEntries(IMPLS.map((n) => [n, cpuStats[n].median])),
  srp_cpu_p90_ms: Object.fromEntries(IMPLS.map((n) => [n, cpuStats[n].p90])),
  srp_wall_ms: Object.fromEntries(IMPLS.map((n) => [n, wallStats[n].median])),
  srp_wall_p90_ms: Object.fromEntries(IMPLS.map((n) => [n, wallStats[n].p90])),
  signin_after_prepare: { cpu_ms: cpuStats[PREPARED].median, cpu_p90_ms: cpuStats[PREPARED].p90,
    wall_ms: wallStats[PREPARED].median, wall_p90_ms: wallStats[PREPARED].p90,
    ratio_vs_identity_js: round(cpuStats['amazon-cognito-identity-js'].median / cpuStats[PREPARED].median) },
  srp_crate: { cpu_ms: cpuStats[SRP_CRATE].median, cpu_p90_ms: cpuStats[SRP_CRATE].p90,
    wall_ms: wallStats[SRP_CRATE].median, wall_p90_ms: wallStats[SRP_CRATE].p90,
    ratio_vs_cognito_totp: round(cpuStats[SRP_CRATE].median / cpuStats['cognito-totp'].median) },
  ratio_vs_identity_js: Object.fromEntries(IMPLS.map((n) => [n,
    round(cpuStats['amazon-cognito-identity-js'].median / cpuStats[n].median)])),
  ...size,
  instantiate_ms: { median: stats(m.instantiate).median, p90: stats(m.instantiate).p90, n: m.instantiate.length },
  requests: Object.fromEntries(Object.entries(m.flows).map(([flow, targets]) => [flow,
    { count: targets.length, minimum: PROTOCOL_MINIMUM[flow], targets }])),
};
writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
console.log(`wrote ${resultsPath}`);
