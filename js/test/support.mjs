// What the js/test suites share: the built package under test (COGNITO_PKG_DIR), the fixtures and SRP
// vectors, the replaying HTTP server on 127.0.0.1, and the helpers that pin SRP and check errors.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG = process.env.COGNITO_PKG_DIR;
if (!PKG) throw new Error('COGNITO_PKG_DIR not set: the directory of the built (web) package');
export const pkgDir = path.resolve(REPO, PKG);
export const lib = await import(pathToFileURL(path.join(pkgDir, 'cognito_totp.js')).href);
lib.initSync({ module: readFileSync(path.join(pkgDir, 'cognito_totp_bg.wasm')) });
export const VERSION = JSON.parse(readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;

export const fixture = (name) => readFileSync(path.join(REPO, 'tests', 'fixtures', `${name}.json`), 'utf8');
export const VECTORS = JSON.parse(readFileSync(path.join(REPO, 'tests', 'vectors', 'srp.json'), 'utf8')).cases;
export const vector = (name) => VECTORS.find((c) => c.name === name) ?? assert.fail(`no vector ${name}`);
export const CLIENT_ID = 'client123';
export const SECRET = 'topsecret';

// ---- the replaying server ---------------------------------------------------------------------

export const ok = (body) => ({ status: 200, body });
export const err = (status, body, errorType) => ({ status, body, errorType });
export const cognitoError = (name, message) => err(400, JSON.stringify({ __type: name, message }));
/** The connection is cut before any answer: fetch rejects. */
export const DROP = { drop: true };

/**
 * Answers each POST with the next scripted reply and records what was sent. A path registered in
 * `routes` is answered by its own function instead, so clients with their own endpoint path can run
 * side by side (the fuzzer does).
 */
export class Replay {
  replies = [];
  requests = [];
  /** @type {Map<string, (request: object) => object>} */
  routes = new Map();

  async start() {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        const target = req.headers['x-amz-target'] ?? '';
        const request = { url: req.url, method: req.method, headers: req.headers, op: target.split('.').pop(), body };
        const route = this.routes.get(req.url ?? '');
        if (!route) this.requests.push(request);
        const reply = route ? route(request) : this.replies.shift();
        if (!reply) {
          res.writeHead(599).end('unscripted request');
          return;
        }
        if (reply.drop) {
          req.socket.destroy();
          return;
        }
        const send = () => {
          const headers = { 'content-type': 'application/x-amz-json-1.1' };
          if (reply.errorType) headers['x-amzn-errortype'] = reply.errorType;
          res.writeHead(reply.status, headers);
          if (!reply.stallMs && !reply.cutBody) {
            res.end(reply.body);
            return;
          }
          // Half the body, then the rest late (`stallMs`) or never (`cutBody`: the connection is cut).
          const body = Buffer.from(reply.body ?? '');
          res.write(body.subarray(0, body.length >> 1));
          if (reply.cutBody) setTimeout(() => req.socket.destroy(), 20);
          else setTimeout(() => late(() => res.end(body.subarray(body.length >> 1))), reply.stallMs);
        };
        // A late answer (`delayMs`, `stallMs`) records whether the client was still listening when it went out:
        // `late = 'unheard'` when it had hung up (its timeout), `'sent'` when not — under load the two timers can
        // fire in either order, and a client that got the whole answer in time may use it.
        const late = (/** @type {() => void} */ go) => {
          reply.late = req.socket.destroyed ? 'unheard' : 'sent';
          if (reply.late === 'sent') go();
        };
        if (reply.delayMs) setTimeout(() => late(send), reply.delayMs);
        else send();
      });
    });
    await new Promise((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.endpoint = `http://127.0.0.1:${this.server.address().port}/`;
  }

  /** Scripts the next replies and forgets earlier requests. */
  script(...replies) {
    this.replies = replies;
    this.requests = [];
  }

  bodies() {
    return this.requests.map((r) => JSON.parse(r.body));
  }

  ops() {
    return this.requests.map((r) => r.op);
  }
}

/** The one server of a test file: start it in `before`, close it in `after`. */
export const replay = new Replay();

// ---- the client under test ----------------------------------------------------------------------

export const POOL_ID = 'us-east-1_AbC123xyz';

export const client = (extra = {}) =>
  new lib.CognitoTotp({ userPoolId: POOL_ID, clientId: CLIENT_ID, endpoint: replay.endpoint, timeoutMs: 5000, ...extra });

/** `a` as 128 big-endian bytes, as `crypto.getRandomValues` would have drawn them. */
export function aBytes(hex) {
  const bytes = new Uint8Array(128);
  bytes.set(Buffer.from(hex.padStart(256, '0'), 'hex'));
  return bytes;
}

/**
 * Runs `f` with the next 128-byte draw of `crypto.getRandomValues` replaced by `a` (later draws are
 * the platform's) and `Date.now()` at the vector's time, so a sign-in is deterministic.
 */
export async function pinned(input, f) {
  const { getRandomValues } = crypto;
  const now = Date.now;
  let a = aBytes(input.aHex);
  crypto.getRandomValues = (array) => {
    if (a && array.length === 128) {
      array.set(a);
      a = undefined;
      return array;
    }
    return getRandomValues.call(crypto, array);
  };
  Date.now = () => input.unixSeconds * 1000;
  try {
    return await f();
  } finally {
    crypto.getRandomValues = getRandomValues;
    Date.now = now;
  }
}

/** The PASSWORD_VERIFIER challenge a server would send for this vector. */
export function passwordVerifier(input, username) {
  return ok(JSON.stringify({
    ChallengeName: 'PASSWORD_VERIFIER',
    ChallengeParameters: {
      SALT: input.saltHex, SECRET_BLOCK: input.secretBlock, SRP_B: input.bHex, USERNAME: username,
      USER_ID_FOR_SRP: input.userIdForSrp,
    },
    Session: 'session-verifier',
  }));
}

/** Signs in with the `plain-ascii` vector, PASSWORD_VERIFIER answered by `after`. */
export async function signingIn(auth, ...after) {
  const { input } = vector('plain-ascii');
  replay.script(passwordVerifier(input, 'alice'), ...after);
  return pinned(input, () => auth.signIn(input.userIdForSrp, input.password));
}

/** The promise must reject with an Error of this name (and a message and a retryable flag). */
export async function rejects(promise, name) {
  try {
    await promise;
  } catch (e) {
    assert.ok(e instanceof Error, `not an Error: ${e}`);
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    assert.ok(e.message.length > 0, 'empty message');
    assert.equal(typeof e.retryable, 'boolean');
    return e;
  }
  assert.fail(`expected ${name}, got a result`);
}

/** No request may carry the password, raw or JSON-escaped. */
export function assertNeverSent(password) {
  const escaped = JSON.stringify(password).slice(1, -1);
  for (const r of replay.requests) {
    assert.ok(!r.body.includes(password) && !r.body.includes(escaped), `${r.op} carried the password`);
  }
}

/** base64(HMAC-SHA256(secret, username ‖ client id)), computed here with node:crypto. */
export const secretHash = (username) => createHmac('sha256', SECRET).update(username + CLIENT_ID).digest('base64');
