// Shared set-up for the third-party-client tests: where the emulator is, what the seed holds,
// RFC 6238 codes, JWT checks against the emulator's JWKS, and identity-js callbacks as promises.
//
// The harness passes EMULATOR_URL and COGNITO_TEST_CONFIG. Run by hand without them, the
// tests start their own emulator (EMULATOR_BIN, default target/debug/cognito-emulator) on a
// free loopback port with the test seed, so `node --test e2e/thirdparty/` works after
// `cargo build -p cognito-emulator`.

import { spawn } from 'node:child_process';
import { createPublicKey, createVerify } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { totp } from '../totp.mjs';

export { totp } from '../totp.mjs';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SEED_PATH = join(REPO, 'emulator', 'seed', 'test.json');
export const seed = JSON.parse(readFileSync(SEED_PATH, 'utf8'));

/** The seed entry of a pool, by key. */
export function seedPool(poolKey) {
  const pool = seed.pools.find((p) => p.key === poolKey);
  if (!pool) throw new Error(`seed has no pool ${poolKey}`);
  return pool;
}

/** The seed entry of a user, by pool key and username. */
export function seedUser(poolKey, username) {
  const user = seedPool(poolKey).users.find((u) => u.username === username);
  if (!user) throw new Error(`seed pool ${poolKey} has no user ${username}`);
  return user;
}

/**
 * Starts the emulator unless the harness already did; resolves to { url, config, stop }.
 * `config` has the COGNITO_TEST_CONFIG shape of DEVELOPERS.md.
 */
export async function emulator() {
  if (process.env.EMULATOR_URL && process.env.COGNITO_TEST_CONFIG) {
    return {
      url: withSlash(process.env.EMULATOR_URL),
      config: JSON.parse(process.env.COGNITO_TEST_CONFIG),
      stop: async () => {},
    };
  }
  const bin = process.env.EMULATOR_BIN || join(REPO, 'target', 'debug', 'cognito-emulator');
  if (!existsSync(bin)) {
    throw new Error(`no EMULATOR_URL given and no emulator at ${bin}: run cargo build -p cognito-emulator`);
  }
  const child = spawn(bin, ['--port', '0', '--seed', SEED_PATH], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  let url;
  const pools = {};
  const ready = new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`emulator exited (${code}) before "ready"`)));
    lines.on('line', (line) => {
      const words = line.trim().split(/\s+/);
      if (words[0] === 'endpoint') url = withSlash(words[1]);
      if (words[0] === 'pool' && words[3] === 'client') {
        const [, poolKey, poolId, , clientKey, clientId] = words;
        pools[poolKey] ??= { poolId, clients: {} };
        const client = { clientId };
        const secret = seedPool(poolKey).clients.find((c) => c.key === clientKey)?.secret;
        if (secret) client.clientSecret = secret;
        pools[poolKey].clients[clientKey] = client;
      }
      if (words[0] === 'ready') resolve();
    });
  });
  await ready;
  return {
    url,
    config: { backend: 'emulator', endpoint: url, pools },
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

function withSlash(url) {
  return url.endsWith('/') ? url : `${url}/`;
}

// ---- emulator dev endpoints -----------------------------------------------------------------

async function devCall(url, path, init) {
  const response = await fetch(new URL(`_emulator/${path}`, url), init);
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} /_emulator/${path}: HTTP ${response.status}`);
  return response.status === 204 ? null : response.json();
}

export async function clockNow(url) {
  return (await devCall(url, 'clock')).now;
}

/** Moves the emulator clock forward and returns its new `now`. */
export async function advanceClock(url, seconds) {
  await devCall(url, 'clock', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ advanceSeconds: seconds }),
  });
  return clockNow(url);
}

/**
 * A TOTP code for a window no earlier test can have used: the clock moves one step first,
 * since a code already accepted for a user is refused until its window passes.
 */
export async function freshCode(url, secret) {
  return totp(secret, await advanceClock(url, 30));
}

export async function messages(url) {
  return devCall(url, 'messages');
}

export async function requestsContaining(url, needle) {
  return devCall(url, 'requests/contains', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ needle }),
  });
}

// ---- JWT ------------------------------------------------------------------------------------

export function decodeJwt(token) {
  const parts = token.split('.');
  if (parts.length !== 3) throw new Error('not a JWT (three dot-separated parts expected)');
  const [header, payload] = parts
    .slice(0, 2)
    .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString('utf8')));
  return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
}

/** Checks the RS256 signature against the pool's JWKS and returns the payload. */
export async function verifyJwt(url, poolId, token) {
  const jwt = decodeJwt(token);
  if (jwt.header.alg !== 'RS256') throw new Error(`alg ${jwt.header.alg}, expected RS256`);
  const response = await fetch(new URL(`${poolId}/.well-known/jwks.json`, url));
  if (!response.ok) throw new Error(`JWKS: HTTP ${response.status}`);
  const { keys } = await response.json();
  const jwk = keys.find((k) => k.kid === jwt.header.kid);
  if (!jwk) throw new Error(`no key ${jwt.header.kid} in the pool's JWKS`);
  const key = createPublicKey({ key: jwk, format: 'jwk' });
  const ok = createVerify('RSA-SHA256').update(jwt.signingInput).verify(key, jwt.signature);
  if (!ok) throw new Error('RS256 signature does not verify');
  return jwt.payload;
}

// ---- identity-js callbacks as promises ------------------------------------------------------

const CALLBACKS = [
  'onSuccess',
  'onFailure',
  'newPasswordRequired',
  'mfaRequired',
  'totpRequired',
  'customChallenge',
  'mfaSetup',
  'selectMFAType',
  'associateSecretCode',
  'inputVerificationCode',
];

/**
 * Runs one identity-js call that reports through a callback object and resolves with the
 * callback it chose: { event, args }. Tests then assert on the event, so an unexpected
 * challenge shows up by name instead of as a hang.
 */
export function step(start) {
  return new Promise((resolve) => {
    const callbacks = {};
    for (const name of CALLBACKS) callbacks[name] = (...args) => resolve({ event: name, args });
    start(callbacks);
  });
}

/** Node-style callback call as a promise. */
export function nodeCall(start) {
  return new Promise((resolve, reject) => {
    start((err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** A Storage object of its own per pool, so no test sees another's cached tokens. */
export function memoryStorage() {
  const map = new Map();
  return {
    setItem: (k, v) => map.set(k, String(v)),
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    removeItem: (k) => map.delete(k),
    clear: () => map.clear(),
  };
}

/** Raw JSON 1.1 call to the emulator, for set-up steps identity-js has no method for. */
export async function callApi(url, operation, body, { admin = false } = {}) {
  const headers = {
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `AWSCognitoIdentityProviderService.${operation}`,
  };
  if (admin) {
    // The emulator accepts SigV4 without checking it; send the header shape an SDK would.
    headers.authorization =
      'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/cognito-idp/aws4_request, ' +
      'SignedHeaders=content-type;host;x-amz-target, Signature=' + '0'.repeat(64);
  }
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(`${operation}: ${data.__type}: ${data.message}`);
    error.name = String(data.__type ?? '').split('#').pop();
    throw error;
  }
  return data;
}
