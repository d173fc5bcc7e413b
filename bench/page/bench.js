// The benchmark page: loads cognito-totp and both peers' SRP helpers side by side, so every
// implementation runs in the same renderer, on the same inputs, under the same JIT.
import init, { srpPasswordClaim, SrpPrepared, CognitoTotp, totpCode } from './pkg/cognito_totp.js';
// The same step by the RustCrypto srp crate in wasm (bench/srp-crate), to show what mont/ buys.
import initSrpCrate, { srpCrateClaim } from './srp-crate/srp_crate.js';
import * as identity from './peers/identity-srp.js';
import * as amplify from './peers/amplify-srp.js';

const WASM_URL = './pkg/cognito_totp_bg.wasm';

let prepared = null;

const impls = {
  'cognito-totp': (p) => srpPasswordClaim(p),
  // What signIn still computes after CognitoTotp.prepare(): the runner calls prepare() untimed first.
  'cognito-totp after prepare()': (p) => {
    const ready = prepared;
    prepared = null;
    if (!ready) throw new Error('prepare() was not called');
    return ready.passwordClaim(p);
  },
  'amazon-cognito-identity-js': (p) => identity.srpPasswordClaim(p),
  amplify: (p) => amplify.srpPasswordClaim(p),
  'srp crate (wasm)': (p) => {
    const [srpA, signature] = srpCrateClaim(p.aHex, p.poolId, p.userIdForSrp, p.password, p.saltHex, p.srpBHex,
      p.secretBlock, p.timestamp);
    return { srpA, signature };
  },
};

let inputs = null;
let config = null;

async function load() {
  await init({ module_or_path: WASM_URL });
  await initSrpCrate({ module_or_path: './srp-crate/srp_crate_bg.wasm' });
  config = await (await fetch('./config.json')).json();
  inputs = config.srp;
  document.getElementById('status').textContent = 'ready';
  return Object.keys(impls);
}

/** A = g^a ahead of the next 'cognito-totp after prepare()' run, as CognitoTotp.prepare() does. */
function prepare() {
  prepared = new SrpPrepared(inputs.aHex);
}

/** One SRP client step; resolves to its output and the wall time it took in this page. */
async function run(name) {
  const t0 = performance.now();
  const out = await impls[name](inputs);
  const ms = performance.now() - t0;
  return { ms, srpA: out.srpA, signature: out.signature };
}

/** Compile + instantiate of the package from bytes already in memory, `n` times on fresh module instances. */
async function instantiate(n) {
  const bytes = await (await fetch(WASM_URL)).arrayBuffer();
  const times = [];
  for (let i = 0; i < n; i++) {
    // A fresh copy of the package's wasm-bindgen module (own module record) so init() cannot reuse the first
    // instance.
    const glue = await import(`./pkg/cognito_totp.js?fresh=${i}`);
    const copy = bytes.slice(0);
    const t0 = performance.now();
    await glue.default({ module_or_path: copy });
    times.push(performance.now() - t0);
  }
  return times;
}

async function emulator(path, init) {
  const r = await fetch(new URL(path, config.endpoint), init);
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.status === 204 ? null : r.json().catch(() => null);
}

async function loggedTargets() {
  const log = await emulator('_emulator/requests');
  return log.map((e) => e.target.replace(/^AWSCognitoIdentityProviderService\./, ''));
}

async function code(secret) {
  const { now } = await emulator('_emulator/clock');
  return totpCode(secret, now);
}

function expectType(step, type, what) {
  if (!step || step.type !== type) throw new Error(`${what}: expected a ${type} step, got ${step && step.type}`);
  return step;
}

/** Each flow driven through the package against the fresh emulator; the requests it made, from the emulator's log. */
async function flows() {
  const c = config.flows;
  const out = {};
  const client = (pool) => new CognitoTotp({ userPoolId: pool.poolId, clientId: pool.clientId, endpoint: config.endpoint });

  {
    const tc = client(c.totpSignIn.pool);
    await emulator('_emulator/requests', { method: 'DELETE' });
    const step = expectType(await tc.signIn(c.totpSignIn.username, c.totpSignIn.password), 'totpCode', 'TOTP sign-in');
    expectType(await tc.confirmTotp(step, await code(c.totpSignIn.secret)), 'done', 'TOTP sign-in');
    out.totp_sign_in = await loggedTargets();
  }
  {
    const tc = client(c.enrollment.pool);
    const done = expectType(await tc.signIn(c.enrollment.username, c.enrollment.password), 'done', 'enrollment sign-in');
    const token = done.tokens.accessToken;
    await emulator('_emulator/requests', { method: 'DELETE' });
    const setup = await tc.associateTotp(token);
    const next = await tc.verifyTotp(setup, await code(setup.secret));
    if (next !== undefined) throw new Error('enrollment: verifyTotp with an access token returned a step');
    await tc.setMfaPreference(token, { totp: 'preferred' });
    out.enrollment = await loggedTargets();
  }
  {
    const tc = client(c.mfaSetupSignIn.pool);
    await emulator('_emulator/requests', { method: 'DELETE' });
    const step = expectType(await tc.signIn(c.mfaSetupSignIn.username, c.mfaSetupSignIn.password), 'mfaSetup', 'MFA_SETUP sign-in');
    const setup = await tc.associateTotp(step);
    expectType(await tc.verifyTotp(setup, await code(setup.secret)), 'done', 'MFA_SETUP sign-in');
    out.mfa_setup_sign_in = await loggedTargets();
  }
  return out;
}

window.bench = { load, prepare, run, instantiate, flows };
