// Shared plumbing of the client suites (flows.test.mjs, faults.test.mjs): the configuration, the seed, the
// emulator's dev endpoints, an independent RFC 6238 implementation, a loopback static server for the package, and
// a headless Chromium page in which every library call runs exactly as an app would make it.
//
// Environment (set by `cargo xtask test`; see DEVELOPERS.md "Browser test configuration"):
//   COGNITO_TEST_CONFIG  {"backend":"emulator"|"ministack","endpoint":…,"pools":{…},"missingUsers"?:[…]}
//   COGNITO_PKG_DIR      the built package (cognito_totp.js + its wasm), served as /pkg/
//   CHROMIUM             optional, default /usr/bin/chromium
// Without the first two every test fails: a suite that could not reach a server must never look green.

import assert from "node:assert/strict";
import { readFileSync, statSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { totp } from "../totp.mjs";

export { totp };

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const seed = JSON.parse(readFileSync(path.join(REPO, "emulator", "seed", "test.json"), "utf8"));

// ---- configuration --------------------------------------------------------------------------------------------

/**
 * @typedef {{ poolId: string, clients: Record<string, { clientId: string, clientSecret?: string }> }} PoolConfig
 * @typedef {{ backend: string, endpoint: string, pools: Record<string, PoolConfig>,
 *             missingUsers?: { pool: string, username: string, reason: string }[] }} TestConfig
 */

/** Paths already reported as not run, so each is said once however many tests meet it. */
const saidNotRun = new Set();

/** Prints the line the harness collects (`NOT RUN: <path>: <reason>`). */
export function notRun(pathName, reason) {
  if (saidNotRun.has(pathName)) return;
  saidNotRun.add(pathName);
  console.log(`NOT RUN: ${pathName}: ${reason}`);
}

export class Env {
  /** @param {TestConfig} config @param {string} pkgDir */
  constructor(config, pkgDir) {
    for (const key of ["backend", "endpoint", "pools"]) {
      assert.ok(config[key], `COGNITO_TEST_CONFIG has no ${key}`);
    }
    this.backend = config.backend;
    this.endpoint = config.endpoint.endsWith("/") ? config.endpoint : `${config.endpoint}/`;
    this.pools = config.pools;
    this.missing = config.missingUsers ?? [];
    this.pkgDir = pkgDir;
  }

  get emulator() {
    return this.backend === "emulator";
  }

  /**
   * `true` when the path can run on this backend; otherwise prints the NOT RUN line, and when the path is the whole
   * test (`t` given) marks it skipped, so it is not counted as passed.
   * @param {import("node:test").TestContext} [t]
   */
  runs(pathName, needsEmulatorBecause, t) {
    if (this.emulator) return true;
    const reason = `${this.backend} ${needsEmulatorBecause}`;
    notRun(pathName, reason);
    t?.skip(reason);
    return false;
  }

  /**
   * `true` when the seeded user exists on this backend; otherwise as `runs`.
   * @param {import("node:test").TestContext} [t]
   */
  hasUser(pathName, pool, username, t) {
    const gap = this.missing.find((m) => m.pool === pool && m.username === username);
    if (!gap) return true;
    const reason = `${this.backend} has no user ${pool}/${username}: ${gap.reason}`;
    notRun(pathName, reason);
    t?.skip(reason);
    return false;
  }

  poolId(pool) {
    const p = this.pools[pool];
    assert.ok(p, `COGNITO_TEST_CONFIG has no pool ${pool}`);
    return p.poolId;
  }

  /** The constructor options of a client of the configured server (`clientSecret` when it has one). */
  clientConfig(pool, client = "web", extra = {}) {
    const c = this.pools[pool]?.clients?.[client];
    assert.ok(c, `COGNITO_TEST_CONFIG has no client ${pool}/${client}`);
    const config = { userPoolId: this.poolId(pool), clientId: c.clientId, endpoint: this.endpoint, timeoutMs: 20000 };
    if (c.clientSecret) config.clientSecret = c.clientSecret;
    return { ...config, ...extra };
  }

  devUrl(p) {
    return `${this.endpoint}_emulator/${p}`;
  }

  /** An emulator dev endpoint; a non-2xx answer fails the test. */
  async dev(method, p, body) {
    const init = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { "content-type": "application/json" };
    }
    const response = await fetch(this.devUrl(p), init);
    const text = await response.text();
    assert.ok(response.ok, `${method} /_emulator/${p}: HTTP ${response.status} ${text}`);
    return text.trim() === "" ? null : JSON.parse(text);
  }

  /** The server's idea of now: the emulator's movable clock, or this machine's. */
  async now() {
    if (!this.emulator) return Math.floor(Date.now() / 1000);
    const { now } = await this.dev("GET", "clock");
    assert.equal(typeof now, "number", "clock.now");
    return now;
  }

  async advance(seconds) {
    assert.ok(this.emulator, "only the emulator's clock moves");
    await this.dev("POST", "clock", { advanceSeconds: seconds });
  }

  /**
   * A code the server will accept once: on the emulator the clock first moves to a TOTP window no earlier code
   * used (a code is good only once); ministack does not track reuse.
   */
  async freshCode(secret) {
    if (this.emulator) await this.advance(30);
    return totp(secret, await this.now());
  }

  async codeNow(secret) {
    return totp(secret, await this.now());
  }

  /** The newest SMS/EMAIL code the emulator "sent" to `username`: [code, destination]. */
  async messageCode(username, channel) {
    const list = await this.dev("GET", "messages");
    const m = [...list].reverse().find((x) => x.username === username && x.channel === channel);
    assert.ok(m, `no ${channel} message for ${username}`);
    return [m.code, m.destination];
  }

  /** How many logged request bodies contain `needle`, and how many were logged. */
  async requestsContaining(needle) {
    const { count, total } = await this.dev("POST", "requests/contains", { needle });
    return [count, total];
  }

  /** Neither `secret` nor its JSON escape is in any logged request body (emulator only). */
  async assertNeverSent(secret, what = "the password") {
    if (!this.runs("password never in a request body", "has no /_emulator/requests/contains")) return;
    const [count, total] = await this.requestsContaining(secret);
    assert.ok(total > 0, "the emulator logged no requests: nothing was checked");
    assert.equal(count, 0, `a request carried ${what}`);
    const escaped = JSON.stringify(secret).slice(1, -1);
    assert.equal((await this.requestsContaining(escaped))[0], 0, `a request carried ${what} (JSON-escaped)`);
  }

  /** The next `times` calls of `target` fail as `kind`. */
  async fault(target, kind, times, delayMs = 0) {
    await this.dev("POST", "faults", { target, kind, times, delayMs });
  }

  /** Clears faults and the request log, so each case counts its own requests. */
  async reset() {
    await this.dev("DELETE", "faults");
    await this.dev("DELETE", "requests");
  }

  /** `[operation, HTTP status]` of every logged request, oldest first. */
  async log() {
    const list = await this.dev("GET", "requests");
    return list.map((r) => [r.target.split(".").pop(), r.status]);
  }

  async ops() {
    return (await this.log()).map(([op]) => op);
  }

  async faultsLeft() {
    const list = await this.dev("GET", "faults");
    return list.reduce((sum, f) => sum + f.times, 0);
  }
}

/** The configuration from the environment; throws (failing the calling test) when it is missing. */
export function env() {
  const raw = process.env.COGNITO_TEST_CONFIG;
  if (!raw) {
    throw new Error("COGNITO_TEST_CONFIG not set: these tests need a running emulator (cargo xtask test sets it)");
  }
  const pkgDir = process.env.COGNITO_PKG_DIR;
  if (!pkgDir) throw new Error("COGNITO_PKG_DIR not set: the directory of the built package");
  let config;
  try {
    config = JSON.parse(raw);
  } catch (e) {
    throw new Error(`COGNITO_TEST_CONFIG is not JSON: ${e.message}`);
  }
  return new Env(config, path.resolve(pkgDir));
}

// ---- the seed -------------------------------------------------------------------------------------------------

/**
 * A user of emulator/seed/test.json (the one source of names and passwords), with `pw` = the password it signs in
 * with (the temporary one for FORCE_CHANGE_PASSWORD users).
 */
export function user(pool, username) {
  const p = seed.pools.find((x) => x.key === pool);
  const u = p?.users.find((x) => x.username === username);
  assert.ok(u, `${pool}/${username} is not in the seed`);
  return { ...u, pw: u.password ?? u.temporaryPassword };
}

/** A six-digit code other than `code`. */
export function wrongCode(code) {
  return code === "000000" ? "111111" : "000000";
}

// ---- the static server ----------------------------------------------------------------------------------------

const MIME = {
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".ts": "text/plain; charset=utf-8",
  ".html": "text/html; charset=utf-8",
};

const BLANK_PAGE = "<!doctype html><meta charset=utf-8><title>cognito-totp client tests</title>";

/** Serves a blank page at / and `pkgDir` under /pkg/, on 127.0.0.1 and a free port. */
export async function startServer(pkgDir) {
  statSync(path.join(pkgDir, "cognito_totp.js")); // fails the test at once when the package is not built
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1/");
    if (url.pathname === "/") {
      res.writeHead(200, { "content-type": MIME[".html"] });
      res.end(BLANK_PAGE);
      return;
    }
    const rel = url.pathname.startsWith("/pkg/") ? decodeURIComponent(url.pathname.slice(5)) : null;
    const file = rel === null ? null : path.resolve(pkgDir, rel);
    if (file === null || !file.startsWith(pkgDir + path.sep)) {
      res.writeHead(404).end();
      return;
    }
    let body;
    try {
      body = readFileSync(file);
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      "content-type": MIME[path.extname(file)] ?? "application/octet-stream",
      "cache-control": "no-store",
    });
    res.end(body);
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

// ---- the browser ----------------------------------------------------------------------------------------------

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
      "--disable-sync", "--no-first-run"],
  });
}

/**
 * What the page installs as `window.__ct`: the package, and a `call` that turns any outcome (value, rejection,
 * synchronous throw) into a record the Node side reads, with what a caller could see of a failure.
 */
function installInPage() {
  /** @param {any} e */
  const describe = (e) => ({
    isError: e instanceof Error,
    trap: e instanceof WebAssembly.RuntimeError || e?.name === "RuntimeError",
    name: typeof e?.name === "string" ? e.name : undefined,
    message: typeof e?.message === "string" ? e.message : undefined,
    retryable: e?.retryable,
    text: (() => {
      try {
        return String(e);
      } catch {
        return "(unprintable)";
      }
    })(),
  });
  /** @type {any} */ (window).__ct.call = async (target, method, args) => {
    const started = performance.now();
    try {
      const mod = /** @type {any} */ (window).__ct.mod;
      const value = method === "new" ? new mod.CognitoTotp(...args) : await (target ?? mod)[method](...args);
      return { ok: true, value, ms: performance.now() - started };
    } catch (e) {
      return { ok: false, error: describe(e), ms: performance.now() - started };
    }
  };
}

/** The outcome of one library call made in the page. */
export class Outcome {
  constructor(summary, value, what) {
    this.ok = summary.ok;
    this.error = summary.error;
    this.ms = summary.ms;
    this.valueType = summary.valueType;
    /** @type {Remote | undefined} */
    this.value = value;
    this.what = what;
  }
}

/** A value living in the page (a step, a TotpSetup, a CognitoTotp, …), read property by property. */
export class Remote {
  /** @param {import("playwright-core").JSHandle} handle */
  constructor(handle) {
    this.handle = handle;
  }

  /** `value[key]` as JSON-like data (strings, numbers, arrays, plain objects). */
  async get(key) {
    return this.handle.evaluate((v, k) => {
      const x = v[k];
      return x === undefined ? undefined : JSON.parse(JSON.stringify(x));
    }, key);
  }

  /** `value[key]`, which must be a string. */
  async str(key) {
    const s = await this.get(key);
    assert.equal(typeof s, "string", `${key} is not a string: ${JSON.stringify(s)}`);
    return s;
  }

  /** `value[method](...args)` called synchronously, its result as data. */
  async invoke(method, ...args) {
    return this.handle.evaluate((v, [m, a]) => v[m](...a), [method, args]);
  }

  /** The value itself as data (a string result, …). */
  async data() {
    return this.handle.jsonValue();
  }

  async json() {
    return this.handle.evaluate((v) => JSON.stringify(v));
  }
}

export class ClientPage {
  /** @param {import("playwright-core").Browser} browser @param {string} baseUrl @param {Env} env */
  static async open(browser, baseUrl, env) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const self = new ClientPage(context, page, env);
    page.on("console", (msg) => self.console.push(msg.text()));
    page.on("pageerror", (err) => self.pageErrors.push(String(err)));
    page.on("request", (request) => {
      if (request.method() === "POST" && request.url().startsWith(env.endpoint)) {
        self.requests.push({ target: request.headers()["x-amz-target"] ?? "", body: request.postData() ?? "" });
      }
    });
    page.on("response", (response) => {
      if (response.request().method() !== "POST" || !response.url().startsWith(env.endpoint)) return;
      if (response.url().includes("/_emulator/")) return;
      self.pending.push(response.text().then((t) => self.responses.push(t), () => {}));
    });
    await page.goto(baseUrl);
    await page.evaluate(async () => {
      const mod = await import("/pkg/cognito_totp.js");
      await mod.default();
      /** @type {any} */ (window).__ct = { mod };
    });
    await page.evaluate(installInPage);
    return self;
  }

  constructor(context, page, env) {
    this.context = context;
    this.page = page;
    this.env = env;
    /** Every console message of the page, as Chromium reports it. */
    this.console = [];
    this.pageErrors = [];
    /** Bodies of the responses of the Cognito endpoint, to learn the Sessions the library was given. */
    this.responses = [];
    this.pending = [];
    /** `{ target, body }` of every request the page sent to the Cognito endpoint. */
    this.requests = [];
  }

  async close() {
    await this.context.close();
  }

  /**
   * `target[method](...args)` in the page, awaited. With `target` null: method "new" constructs a CognitoTotp, any
   * other names a function the package exports.
   */
  async call(target, method, ...args) {
    const record = await this.page.evaluateHandle(
      ([t, m, a]) => /** @type {any} */ (window).__ct.call(t, m, a),
      [target?.handle ?? null, method, args.map((a) => (a instanceof Remote ? a.handle : a))],
    );
    const summary = await record.evaluate((r) => ({ ok: r.ok, error: r.error, ms: r.ms, valueType: typeof r.value }));
    const value = summary.ok ? new Remote(await record.evaluateHandle((r) => r.value)) : undefined;
    await record.dispose();
    const outcome = new Outcome(summary, value, method);
    if (!outcome.ok) {
      // A trap (`RuntimeError: unreachable`, a panic compiled to abort) must never reach the caller.
      assert.ok(!outcome.error.trap, `${method}: wasm trap: ${outcome.error.text}`);
    }
    return outcome;
  }

  /** Several calls started together and awaited with Promise.all in the page; the values, in order. */
  async all(calls) {
    const handle = await this.page.evaluateHandle(async (list) => {
      const results = await Promise.all(list.map(([t, m, a]) => t[m](...a)));
      return results;
    }, calls.map(([t, m, ...a]) => [t.handle, m, a]));
    const n = await handle.evaluate((r) => r.length);
    const out = [];
    for (let i = 0; i < n; i++) out.push(new Remote(await handle.evaluateHandle((r, j) => r[j], i)));
    return out;
  }

  /** `name(...args)`: a free function of the package (`qrSvg`, `otpauthUri`, `totpCode`). */
  async fn(name, ...args) {
    return this.call(null, name, ...args);
  }

  /** `new CognitoTotp(config)`. */
  async client(config) {
    return this.call(null, "new", config);
  }

  /** A CognitoTotp for a configured pool and client; fails the test when construction fails. */
  async api(pool, client = "web", extra = {}) {
    return ok(await this.client(this.env.clientConfig(pool, client, extra)), `new CognitoTotp(${pool}/${client})`);
  }

  /** Bodies of the Cognito responses seen so far (waits for those still being read). */
  async responseBodies() {
    await Promise.all(this.pending);
    return [...this.responses];
  }

  /**
   * The step must not show its Session, challenge name or SRP user id to anything a script or `console.log` can
   * reach: own property names (symbols and non-enumerable ones too), every value reachable through own properties,
   * getters and the prototype chain, and JSON.stringify. The hidden values are learnt from the server's answers.
   */
  async assertSealed(step, what) {
    const hidden = new Set();
    for (const body of await this.responseBodies()) {
      let parsed;
      try {
        parsed = JSON.parse(body);
      } catch {
        continue;
      }
      if (typeof parsed?.Session === "string") hidden.add(parsed.Session);
      if (typeof parsed?.ChallengeName === "string") hidden.add(parsed.ChallengeName);
      const srpUser = parsed?.ChallengeParameters?.USER_ID_FOR_SRP;
      if (typeof srpUser === "string" && srpUser.length >= 16) hidden.add(srpUser);
    }
    assert.ok([...hidden].some((h) => h.length > 20), `${what}: no Session was seen in the server's answers`);
    const seen = await step.handle.evaluate((root) => {
      const keys = [];
      const strings = [];
      const visited = new Set();
      const walk = (v, depth) => {
        if (v === null || (typeof v !== "object" && typeof v !== "function")) {
          if (v !== undefined) strings.push(String(v));
          return;
        }
        if (visited.has(v) || depth > 6 || v === Object.prototype || v === Function.prototype) return;
        visited.add(v);
        if (typeof v === "function") return; // code, not data: its source is the package's, not the step's
        for (const k of Reflect.ownKeys(v)) {
          keys.push(String(k));
          const d = Object.getOwnPropertyDescriptor(v, k);
          let x;
          try {
            x = d && "value" in d ? d.value : d?.get?.call(root);
          } catch {
            continue;
          }
          walk(x, depth + 1);
        }
        walk(Object.getPrototypeOf(v), depth + 1);
      };
      walk(root, 0);
      return {
        names: Object.getOwnPropertyNames(root),
        keys,
        strings,
        json: JSON.stringify(root),
        text: String(root),
      };
    });
    for (const k of [...seen.names, ...seen.keys]) {
      assert.doesNotMatch(k, /session|challenge/i, `${what}: a property named ${k}`);
    }
    assert.ok(!seen.json.toLowerCase().includes("session"), `${what}: JSON.stringify(step) = ${seen.json}`);
    for (const h of hidden) {
      const label = `${h.slice(0, 6)}…`;
      assert.ok(!seen.json.includes(h), `${what}: JSON.stringify(step) shows ${label}`);
      assert.ok(!seen.text.includes(h), `${what}: String(step) shows ${label}`);
      for (const s of seen.strings) assert.ok(!s.includes(h), `${what}: a property of the step shows ${label}`);
    }
    const inspected = await this.devtoolsView(step);
    for (const name of inspected.names) {
      assert.doesNotMatch(name, /session|challenge/i, `${what}: devtools shows a property named ${name}`);
    }
    for (const h of hidden) {
      for (const s of inspected.strings) assert.ok(!s.includes(h), `${what}: devtools shows ${h.slice(0, 6)}…`);
    }
  }

  /**
   * What `console.log(step)` lets a person see in devtools when they expand it: through the DevTools protocol,
   * own properties, private (#) fields and internal slots, recursively, prototype chain included. Functions are not
   * opened: their [[Scopes]] show the library module's variables, which is not the step.
   */
  async devtoolsView(step) {
    const cdp = await this.context.newCDPSession(this.page);
    try {
      await step.handle.evaluate((v) => {
        /** @type {any} */ (window).__inspect = v;
      });
      const { result } = await cdp.send("Runtime.evaluate", { expression: "window.__inspect" });
      const names = [];
      const strings = [];
      const seen = new Set();
      const open = async (objectId, depth) => {
        if (!objectId || seen.has(objectId) || depth > 6) return;
        seen.add(objectId);
        const props = await cdp.send("Runtime.getProperties", {
          objectId, ownProperties: true, generatePreview: true,
        });
        // Object.prototype is the same for every object: nothing of the step's own there.
        const own = new Set(props.result.map((p) => p.name));
        if (own.has("hasOwnProperty") && own.has("__lookupGetter__")) return;
        const all = [...props.result, ...(props.internalProperties ?? []), ...(props.privateProperties ?? [])];
        for (const p of all) {
          names.push(p.name);
          for (const v of [p.value, p.get, p.set]) {
            if (!v) continue;
            if (v.value !== undefined) strings.push(String(v.value));
            if (v.type === "function") continue;
            if (v.description) strings.push(v.description);
            for (const pp of v.preview?.properties ?? []) strings.push(`${pp.name}: ${pp.value ?? ""}`);
            await open(v.objectId, depth + 1);
          }
        }
      };
      await open(result.objectId, 0);
      return { names, strings };
    } finally {
      await this.page.evaluate(() => delete (/** @type {any} */ (window).__inspect));
      await cdp.detach();
    }
  }
}

// ---- outcomes -------------------------------------------------------------------------------------------------

export function describe(error) {
  return `${error?.name}: ${error?.message}`;
}

/** The call must have succeeded; returns its value. */
export function ok(outcome, what = outcome.what) {
  assert.ok(outcome.ok, `${what}: unexpected ${outcome.ok ? "" : describe(outcome.error)}`);
  return /** @type {Remote} */ (outcome.value);
}

/** The call must have failed with a JS `Error` named `name`, with a message and a `retryable` flag. */
export function fails(outcome, name, what = outcome.what) {
  assert.ok(!outcome.ok, `${what}: expected ${name}, but it succeeded`);
  const e = outcome.error;
  assert.ok(e.isError, `${what}: not an Error: ${e.text}`);
  assert.equal(e.name, name, `${what}: ${describe(e)}`);
  assert.ok(typeof e.message === "string" && e.message !== "", `${what}: empty message`);
  assert.equal(typeof e.retryable, "boolean", `${what}: no retryable flag`);
  return e;
}

/**
 * Runs `body(env, page, t)` with a fresh page (own browser context: empty storage, its own module instance). A body
 * that cannot run at all on this backend calls `t.skip(…)` after its NOT RUN line, so it is counted as skipped,
 * not passed.
 */
export function withPage(state, body) {
  return async (/** @type {import("node:test").TestContext} */ t) => {
    const e = env();
    const page = await ClientPage.open(state.browser, state.server.url, e);
    try {
      await body(e, page, t);
      // A rejection nobody awaited (a retry timer, an abandoned fetch) would reach the app as an error it cannot catch.
      assert.deepEqual(page.pageErrors, [], "uncaught errors or unhandled rejections in the page");
    } finally {
      await page.close();
    }
  };
}

/**
 * The browser and the static server one test file shares. `before` must not throw when the configuration is
 * missing (each test then fails on its own, with the reason).
 */
export function suite(before, after) {
  const state = { browser: undefined, server: undefined };
  before(async () => {
    const pkg = process.env.COGNITO_PKG_DIR;
    if (!process.env.COGNITO_TEST_CONFIG || !pkg) return;
    state.server = await startServer(path.resolve(pkg));
    state.browser = await launch();
  });
  after(async () => {
    await state.browser?.close();
    await state.server?.close();
  });
  return state;
}
