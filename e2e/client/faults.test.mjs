// Client hardening in headless Chromium, through the package's public JS API (methods called by their JS names, as
// an app would): every injected fault, every bad input and every refused SRP value ends in a JS `Error` with the
// expected `name` — never a wasm trap — and the same `CognitoTotp` object then completes a sign-in. Emulator only:
// it needs /_emulator/faults, the request log and the movable clock; on another backend each test prints a
// `NOT RUN:` line.
//
// Decisions pinned here:
// - An HTML 502 counts as a 5xx: retried (3 tries in all). When every try fails it is a `ProtocolError` (the body
//   is no Cognito error), whose message names the status and says "HTML body" without echoing it.
// - A 200 whose body is empty, cut off or missing members is a `ProtocolError` at once: a malformed success is not
//   retried (the operation may have run).
// - A timeout or a refused connection is a retryable `NetworkError` after 3 tries.
// - u = 0 cannot be injected: u = SHA-256(A ‖ B), so a B giving u = 0 is a SHA-256 preimage. B ≡ 0 (mod N) is
//   tested with B = 0 and B = N.
//
// By hand: as flows.test.mjs, with faults.test.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { describe, fails, notRun, ok, suite, totp, user, withPage, wrongCode } from "./harness.mjs";

const state = suite(before, after);

const TOTP_SECRET = user("optional", "totp").totpSecret;

/** The test body runs only against the emulator; elsewhere it reports `what` as not run. */
function emulatorOnly(what, body) {
  return withPage(state, async (env, page, t) => {
    if (!env.emulator) {
      notRun(what, `${env.backend} has no /_emulator fault injection, request log or clock`);
      t.skip(`${env.backend} has no /_emulator dev endpoints`);
      return;
    }
    await body(env, page);
  });
}

function pw(pool, username) {
  return user(pool, username).pw;
}

async function accessToken(step) {
  assert.equal(await step.get("type"), "done");
  return (await step.get("tokens")).accessToken;
}

/** The object still works: faults cleared, a complete sign-in of optional/plain. */
async function works(env, page, api, after) {
  await env.dev("DELETE", "faults");
  const step = ok(await page.call(api, "signIn", "plain", pw("optional", "plain")), after);
  assert.equal(await step.get("type"), "done", `sign-in after ${after}`);
}

function count(ops, op) {
  return ops.filter((o) => o === op).length;
}

// ---- faults on the wire ---------------------------------------------------------------------------------------

// 5xx (HTML 502, Cognito 500) on each sign-in step: once → retried away; every try → reported.
test("server_errors_are_retried_then_reported", emulatorOnly("5xx faults", async (env, page) => {
  const api = await page.api("optional");
  const password = pw("optional", "plain");
  for (const target of ["InitiateAuth", "RespondToAuthChallenge"]) {
    for (const [kind, name] of [["html502", "ProtocolError"], ["http500", "InternalErrorException"]]) {
      const kase = `${kind} on ${target}`;
      await env.reset();
      await env.fault(target, kind, 1);
      const step = ok(await page.call(api, "signIn", "plain", password), `${kase} once`);
      assert.equal(await step.get("type"), "done");
      const log = await env.log();
      const tries = log.filter(([op]) => op === target).map(([, s]) => s);
      assert.deepEqual(tries, [kind === "html502" ? 502 : 500, 200], `${kase}: ${JSON.stringify(log)}`);

      await env.reset();
      await env.fault(target, kind, 3);
      const e = fails(await page.call(api, "signIn", "plain", password), name, kase);
      if (kind === "html502") {
        assert.ok(e.message.includes("502") && e.message.includes("HTML"), `${kase}: ${e.message}`);
        assert.ok(!e.message.includes("<html") && !e.message.includes("Bad Gateway"), `body echoed: ${e.message}`);
      }
      assert.equal(e.retryable, true, `${kase}: a 5xx may pass later`);
      const ops = await env.ops();
      assert.equal(count(ops, target), 3, `${kase}: 3 tries in all: ${ops}`);
      if (target === "InitiateAuth") assert.equal(count(ops, "RespondToAuthChallenge"), 0, `${kase}: ${ops}`);
      await works(env, page, api, kase);
    }
  }
  await env.assertNeverSent(password);
}));

// A 200 that is empty, cut off or lacks members: one `ProtocolError`, not retried, on every step that reads a body.
test("malformed_success_bodies_are_protocol_errors", emulatorOnly("malformed 200 bodies", async (env, page) => {
  const api = await page.api("optional");
  const password = pw("optional", "plain");
  const token = await accessToken(ok(await page.call(api, "signIn", "plain", password), "sign-in"));
  let cases = 0;
  for (const kind of ["empty", "truncated", "missingMembers"]) {
    for (const target of ["InitiateAuth", "RespondToAuthChallenge", "GetUser", "AssociateSoftwareToken"]) {
      const kase = `${kind} on ${target}`;
      await env.reset();
      await env.fault(target, kind, 1);
      const outcome = target === "GetUser"
        ? await page.call(api, "getUser", token)
        : target === "AssociateSoftwareToken"
          ? await page.call(api, "associateTotp", token)
          : await page.call(api, "signIn", "plain", password);
      const e = fails(outcome, "ProtocolError", kase);
      assert.equal(e.retryable, false, kase);
      const ops = await env.ops();
      assert.equal(count(ops, target), 1, `${kase}: not retried: ${ops}`);
      if (target === "InitiateAuth") assert.equal(count(ops, "RespondToAuthChallenge"), 0, `${kase}: ${ops}`);
      cases += 1;
      await works(env, page, api, kase);
    }
  }
  // The faults cost nothing: the access token still works.
  ok(await page.call(api, "getUser", token), "getUser after the faults");
  assert.equal(cases, 12);
  await env.assertNeverSent(password);
}));

// `timeoutMs` cuts a slow answer: once → the retry succeeds; every try → `NetworkError`.
test("slow_answers_time_out_as_network_errors", emulatorOnly("timeouts", async (env, page) => {
  const password = pw("optional", "plain");
  const api = await page.api("optional", "web", { timeoutMs: 800 });
  ok(await page.call(api, "signIn", "plain", password), "a sign-in within the timeout");
  // An aborted request may never be logged (the server drops it with the connection), so the tries are counted
  // from the faults used up: each try takes one before it waits.
  for (const target of ["InitiateAuth", "RespondToAuthChallenge"]) {
    await env.reset();
    await env.fault(target, "slow", 1, 2000);
    const step = ok(await page.call(api, "signIn", "plain", password), `slow ${target} once`);
    assert.equal(await step.get("type"), "done");
    assert.equal(await env.faultsLeft(), 0);

    await env.reset();
    await env.fault(target, "slow", 4, 2000);
    const outcome = await page.call(api, "signIn", "plain", password);
    const e = fails(outcome, "NetworkError", `slow ${target}`);
    assert.match(e.message, /timed out/);
    assert.equal(e.retryable, true);
    // 3 × 800 ms plus at most 100 + 200 ms of backoff; waiting for the server would take 3 × 2 s. The bound sits
    // between the two, leaving room for a loaded machine.
    assert.ok(outcome.ms < 5000, `slow ${target}: ${outcome.ms} ms — the timeout did not cut the wait`);
    assert.ok(outcome.ms >= 2400, `slow ${target}: ${outcome.ms} ms — 3 tries of 800 ms cannot end sooner`);
    assert.equal(await env.faultsLeft(), 1, `slow ${target}: exactly 3 tries`);
    await works(env, page, api, `slow ${target}`);
  }
  // Abandoned answers still finishing on the server must not land in the next test's log.
  await new Promise((resolve) => setTimeout(resolve, 2100));

  // A timeout beyond setTimeout's range (2^31 - 1 ms) must not wrap round to "at once".
  for (const huge of [2_147_483_648, 4_294_967_295]) {
    const big = await page.api("optional", "web", { timeoutMs: huge });
    await works(env, page, big, `timeoutMs = ${huge}`);
  }
}));

// Nothing listens on the endpoint: `NetworkError` after 3 quick tries, and again on the next call (the object is
// not poisoned; its endpoint is fixed, so only another object can succeed).
test("connection_refused_is_a_network_error", emulatorOnly("connection refused", async (env, page) => {
  const password = pw("optional", "plain");
  // Port 2: unassigned, not on Chromium's blocked-port list, so the fetch really tries to connect.
  const api = await page.api("optional", "web", { endpoint: "http://127.0.0.1:2/" });
  for (const attempt of ["first call", "second call"]) {
    const outcome = await page.call(api, "signIn", "plain", password);
    const e = fails(outcome, "NetworkError", attempt);
    assert.equal(e.retryable, true);
    assert.ok(e.message.startsWith("InitiateAuth:"), describe(e));
    assert.ok(outcome.ms < 3000, `${attempt}: refusals took ${outcome.ms} ms`);
  }
  await works(env, page, await page.api("optional"), "a refused connection");
}));

// TooManyRequestsException: once → retried after a short jittered pause; every time → given up after 3 tries with
// that error.
test("throttling_is_retried_with_bounded_backoff_then_given_up", emulatorOnly("throttling", async (env, page) => {
  const api = await page.api("optional");
  const password = pw("optional", "plain");
  const token = await accessToken(ok(await page.call(api, "signIn", "plain", password), "sign-in"));

  // Timed on GetUser (no SRP arithmetic in the way): the pause is 50–100 ms, then 100–200 ms.
  for (const times of [1, 2]) {
    await env.reset();
    await env.fault("GetUser", "throttle", times);
    const outcome = await page.call(api, "getUser", token);
    ok(outcome, "throttled GetUser");
    assert.ok(outcome.ms >= (times === 1 ? 50 : 150), `${times} throttles: no backoff (${outcome.ms} ms)`);
    // The upper bound only proves the backoff is bounded (the pauses total ≤ 300 ms); it leaves room for a loaded
    // 2-core CI machine, where one emulator call alone can take hundreds of ms.
    assert.ok(outcome.ms < 3000, `${times} throttles: ${outcome.ms} ms`);
    assert.equal(count(await env.ops(), "GetUser"), times + 1);
  }
  // Concurrent sign-ins on one object, throttled along the way, each finish on their own.
  await env.reset();
  await env.fault("InitiateAuth", "throttle", 2);
  await env.fault("RespondToAuthChallenge", "throttle", 2);
  const users = [["plain", "done"], ["totp", "totpCode"], ["jörg", "done"], ["sms", "smsCode"]];
  const steps = await page.all(users.map(([u]) => [api, "signIn", u, pw("optional", u)]));
  const kinds = [];
  for (const s of steps) kinds.push(await s.get("type"));
  assert.deepEqual(kinds, users.map(([, k]) => k), "concurrent sign-ins");
  assert.equal(await env.faultsLeft(), 0);

  const plain = await page.call(api, "signIn", "plain", password);
  ok(plain, "unthrottled sign-in");
  for (const target of ["InitiateAuth", "RespondToAuthChallenge"]) {
    await env.reset();
    await env.fault(target, "throttle", 1);
    const once = await page.call(api, "signIn", "plain", password);
    assert.equal(await ok(once, "throttled once").get("type"), "done");
    const extra = once.ms - plain.ms;
    assert.ok(extra < 3000, `throttled ${target} once: ${extra} ms more than a plain sign-in`);

    await env.reset();
    await env.fault(target, "throttle", 10);
    const e = fails(await page.call(api, "signIn", "plain", password), "TooManyRequestsException", target);
    assert.equal(e.retryable, true);
    const log = await env.log();
    const tries = log.filter(([op, status]) => op === target && status === 400).length;
    assert.equal(tries, 3, `${target}: gave up after 3 tries: ${JSON.stringify(log)}`);
    await env.reset();
    await works(env, page, api, `throttled ${target}`);
  }
}));

// The sign-in Session outlives neither an MFA step nor an MFA setup: the answer after expiry is
// NotAuthorizedException, and a new sign-in on the same object completes.
test("an_expired_session_is_not_authorized", emulatorOnly("session expiry", async (env, page) => {
  await env.reset();
  let api = await page.api("optional");
  let password = pw("optional", "totp");
  let step = ok(await page.call(api, "signIn", "totp", password), "totp sign-in");
  assert.equal(await step.get("type"), "totpCode");
  await env.advance(181);
  let code = totp(TOTP_SECRET, await env.now());
  const e = fails(await page.call(api, "confirmTotp", step, code), "NotAuthorizedException", "expired step");
  assert.match(e.message, /expired/);
  assert.equal(e.retryable, false);
  step = ok(await page.call(api, "signIn", "totp", password), "totp sign-in again");
  code = await env.freshCode(TOTP_SECRET);
  assert.equal(await ok(await page.call(api, "confirmTotp", step, code), "confirm").get("type"), "done");
  await env.assertNeverSent(password);

  // Between AssociateSoftwareToken and VerifySoftwareToken of an MFA_SETUP.
  api = await page.api("required");
  password = pw("required", "newbie3");
  step = ok(await page.call(api, "signIn", "newbie3", password), "newbie3 sign-in");
  assert.equal(await step.get("type"), "mfaSetup");
  let setup = ok(await page.call(api, "associateTotp", step), "associate");
  await env.advance(181);
  code = totp(await setup.str("secret"), await env.now());
  fails(await page.call(api, "verifyTotp", setup, code), "NotAuthorizedException", "expired setup");
  step = ok(await page.call(api, "signIn", "newbie3", password), "newbie3 again");
  assert.equal(await step.get("type"), "mfaSetup", "nothing was enrolled by the expired setup");
  setup = ok(await page.call(api, "associateTotp", step), "associate again");
  code = await env.freshCode(await setup.str("secret"));
  const done = ok(await page.call(api, "verifyTotp", setup, code), "verify");
  assert.equal(await done.get("type"), "done");
  await env.assertNeverSent(password);
}));

// 5xx answering an MFA code: the step is kept, and the same step with the same code then works (the faulted calls
// never reached the operation, so the code is still unused).
test("server_errors_on_an_mfa_answer_keep_the_step_usable",
  emulatorOnly("5xx on RespondToAuthChallenge(SOFTWARE_TOKEN_MFA)", async (env, page) => {
    await env.reset();
    const api = await page.api("optional");
    const step = ok(await page.call(api, "signIn", "totp", pw("optional", "totp")), "totp sign-in");
    const code = await env.freshCode(TOTP_SECRET);
    for (const [kind, name] of [["http500", "InternalErrorException"], ["html502", "ProtocolError"]]) {
      await env.fault("RespondToAuthChallenge", kind, 3);
      fails(await page.call(api, "confirmTotp", step, code), name, kind);
    }
    await env.fault("RespondToAuthChallenge", "http500", 2);
    const done = ok(await page.call(api, "confirmTotp", step, code), "third try after two 500s");
    assert.equal(await done.get("type"), "done");
    const log = await env.log();
    const answered = log.filter(([op]) => op === "RespondToAuthChallenge").map(([, s]) => s);
    // PASSWORD_VERIFIER, then 3 × 500, 3 × 502, 2 × 500 and the answer that went through.
    assert.deepEqual(answered, [200, 500, 500, 500, 502, 502, 502, 500, 500, 200], JSON.stringify(log));
  }));

// ---- SRP values the client must refuse ------------------------------------------------------------------------

// B ≡ 0 (mod N) would let anyone who knows nothing of the password forge the session key; the client must stop
// before it signs anything.
test("a_server_b_of_zero_mod_n_is_refused_before_answering", emulatorOnly("SRP B ≡ 0 (mod N)", async (env, page) => {
  const api = await page.api("optional");
  const password = pw("optional", "plain");
  for (const kind of ["srpBZero", "srpBEqualsN"]) {
    await env.reset();
    await env.fault("InitiateAuth", kind, 1);
    const e = fails(await page.call(api, "signIn", "plain", password), "ProtocolError", kind);
    assert.ok(e.message.includes("SRP"), `${kind}: ${describe(e)}`);
    assert.equal(e.retryable, false);
    assert.deepEqual(await env.ops(), ["InitiateAuth"], `${kind}: no PASSWORD_VERIFIER answer may be sent`);
    await works(env, page, api, kind);
  }
  await env.assertNeverSent(password);
}));

// ---- input validation, before any request ---------------------------------------------------------------------

// Every bad input rejects with InvalidParameterException naming the problem, and the request log does not grow.
test("bad_input_is_refused_before_any_request",
  emulatorOnly("input validation against the request log", async (env, page) => {
    const api = await page.api("optional");
    const password = pw("optional", "totp");
    const step = ok(await page.call(api, "signIn", "totp", password), "totp sign-in");
    assert.equal(await step.get("type"), "totpCode");
    await env.reset();
    let tried = 0;

    // Constructor: pool id, client id, endpoint, timeout.
    const badConfigs = [
      ["userPoolId", "", "userPoolId"],
      ["userPoolId", "us-east-1", "userPoolId"],
      ["userPoolId", "us-east-1_", "userPoolId"],
      ["userPoolId", "US-EAST-1_abc", "userPoolId"],
      ["userPoolId", "us-east-1_ab-c", "userPoolId"],
      ["userPoolId", "us-east-1_ab c", "userPoolId"],
      ["userPoolId", "useast1_abc", "userPoolId"],
      ["userPoolId", 42, "userPoolId"],
      ["clientId", "", "clientId"],
      ["clientId", undefined, "clientId"],
      ["endpoint", "http://example.com/", "https"],
      ["endpoint", "http://10.0.0.1:9229/", "https"],
      ["endpoint", "http://127.0.0.1.example.com/", "https"],
      ["endpoint", "http://localhost.example.com/", "https"],
      ["endpoint", "http://user@127.0.0.1/", "https"],
      ["endpoint", "http://127.0.0.1@example.com/", "https"],
      ["endpoint", "ftp://127.0.0.1/", "https"],
      ["endpoint", "ws://127.0.0.1/", "https"],
      ["endpoint", "https://", "https"],
      ["endpoint", "127.0.0.1:9229", "https"],
      ["endpoint", "", "https"],
      ["timeoutMs", 0, "timeoutMs"],
      ["timeoutMs", -5, "timeoutMs"],
      ["timeoutMs", 1.5, "timeoutMs"],
      ["timeoutMs", "300", "timeoutMs"],
    ];
    for (const [key, value, says] of badConfigs) {
      const what = `${key} = ${JSON.stringify(value)}`;
      const e = fails(await page.client(env.clientConfig("optional", "web", { [key]: value })),
        "InvalidParameterException", what);
      assert.ok(e.message.includes(says), `${what}: ${describe(e)}`);
      tried += 1;
    }
    for (const good of ["http://127.0.0.1:9229/", "http://localhost:9229/", "http://[::1]:9229/",
      "https://cognito.example.com/"]) {
      ok(await page.client(env.clientConfig("optional", "web", { endpoint: good })), good);
    }
    const empty = fails(await page.client({}), "InvalidParameterException", "empty config");
    assert.ok(empty.message.includes("userPoolId"), describe(empty));
    tried += 1;

    // Sign-in input.
    for (const [name, pass, says] of [["", password, "username"], ["totp", "", "password"], ["", "", "username"]]) {
      const e = fails(await page.call(api, "signIn", name, pass), "InvalidParameterException",
        `${JSON.stringify(name)}/${pass === "" ? '""' : "(password)"}`);
      assert.ok(e.message.includes(says), describe(e));
      tried += 1;
    }
    // Codes: exactly six digits once whitespace is dropped.
    for (const bad of ["", "   ", "12345", "1234567", "123 4567", "12345a", "12-456", "+12345", "１２３４５６",
      "١٢٣٤٥٦", "123456\u0000"]) {
      const e = fails(await page.call(api, "confirmTotp", step, bad), "InvalidParameterException", JSON.stringify(bad));
      assert.ok(e.message.includes("6 digits"), `${JSON.stringify(bad)}: ${describe(e)}`);
      tried += 1;
    }
    // Other calls' arguments.
    const wrongArgs = [
      ["getUser", [""], "access token"],
      ["globalSignOut", [""], "access token"],
      ["refresh", [""], "refresh token"],
      ["revokeToken", [""], "refresh token"],
      ["associateTotp", [""], "access token"],
      ["setMfaPreference", ["token", {}], "at least one"],
      ["setMfaPreference", ["token", { totp: "always" }], "preferred"],
      ["disableTotp", ["totp", "", "token"], "password"],
      ["disableTotp", ["totp", password, ""], "access token"],
      ["confirmTotp", [{ type: "totpCode" }, "123456"], "step"],
      ["confirmCode", [step, "123456"], "SMS or email"],
      ["selectMfa", [step, "TOTP"], "SELECT_MFA_TYPE"],
      ["selectMfa", [step, "PIGEON"], "TOTP"],
      ["completeNewPassword", [step, "New-Passw0rd!"], "NEW_PASSWORD_REQUIRED"],
      ["associateTotp", [step], "MFA_SETUP"],
      ["verifyTotp", [{ secret: TOTP_SECRET }, "123456"], "TotpSetup"],
    ];
    for (const [method, args, says] of wrongArgs) {
      const e = fails(await page.call(api, method, ...args), "InvalidParameterException", method);
      assert.ok(e.message.includes(says), `${method}: ${describe(e)}`);
      tried += 1;
    }
    assert.deepEqual(await env.log(), [], "a bad input reached the server");
    assert.equal(tried, 56);

    // " 123 456 " is the code 123456: accepted, and it completes the sign-in.
    const code = await env.freshCode(TOTP_SECRET);
    const spaced = ` ${code.slice(0, 3)} ${code.slice(3)} `;
    const done = ok(await page.call(api, "confirmTotp", step, spaced), "spaced code");
    assert.equal(await done.get("type"), "done");
    assert.deepEqual(await env.ops(), ["RespondToAuthChallenge"]);
  }));

// ---- nothing leaks --------------------------------------------------------------------------------------------

/** Wraps each console method of the page so every message is also recorded in `window.__seen`. */
function tapConsole() {
  const w = /** @type {any} */ (window);
  w.__seen = [];
  w.__originals = {};
  for (const name of ["log", "info", "warn", "error", "debug", "trace", "dir"]) {
    const original = console[name];
    w.__originals[name] = original;
    console[name] = function (...args) {
      w.__seen.push(args.map((a) => {
        try {
          return typeof a === "string" ? a : `${String(a)} ${JSON.stringify(a)}`;
        } catch {
          return String(a);
        }
      }).join(" "));
      return original.apply(this, args);
    };
  }
}

function untapConsole() {
  const w = /** @type {any} */ (window);
  for (const [name, original] of Object.entries(w.__originals)) console[name] = original;
  return w.__seen;
}

/** Everything the page could keep: both storages, entry by entry, and the cookies. */
function pageStorage() {
  const out = [];
  for (const area of ["localStorage", "sessionStorage"]) {
    const s = /** @type {Storage} */ (window[area]);
    for (let i = 0; i < s.length; i++) {
      const k = s.key(i);
      out.push(`${area}:${k}=${s.getItem(k ?? "")}`);
    }
  }
  out.push(`cookie:${document.cookie}`);
  return out;
}

// A full sign-in, TOTP enrollment, MFA sign-in, refresh and a few failures, with the console tapped: no console
// message and no error message carries the password, the TOTP secret, a token; no request carries the password;
// storage and cookies are exactly as before.
test("a_full_enrollment_leaks_nothing_and_stores_nothing",
  emulatorOnly("no secret in console, storage or requests", async (env, page) => {
    await env.reset();
    // Something of the app's own, which must survive untouched.
    await page.page.evaluate(() => localStorage.setItem("app-canary", "kept"));
    const before = await page.page.evaluate(pageStorage);

    await page.page.evaluate(tapConsole);
    await page.page.evaluate(() => console.log("tap-canary"));
    const errors = [];
    const secrets = [];
    const api = await page.api("optional");
    const password = pw("optional", "enroll2");
    secrets.push(password);
    const step = ok(await page.call(api, "signIn", "enroll2", password), "sign-in");
    const tokens = await step.get("tokens");
    for (const t of ["accessToken", "idToken", "refreshToken"]) secrets.push(tokens[t]);
    const token = await accessToken(step);
    const setup = ok(await page.call(api, "associateTotp", token), "associate");
    const secret = await setup.str("secret");
    secrets.push(secret);
    const label = { issuer: "Leak Test", account: "enroll2" };
    for (const render of ["uri", "qrSvg"]) assert.equal(typeof (await setup.invoke(render, label)), "string");
    let code = await env.freshCode(secret);
    errors.push(fails(await page.call(api, "verifyTotp", setup, wrongCode(code)), "EnableSoftwareTokenMFAException",
      "wrong first code"));
    ok(await page.call(api, "verifyTotp", setup, code), "verify");
    ok(await page.call(api, "setMfaPreference", token, { totp: "preferred" }), "prefer");
    errors.push(fails(await page.call(api, "signIn", "enroll2", "Wrong-Passw0rd!"), "NotAuthorizedException",
      "wrong password"));
    await env.fault("InitiateAuth", "html502", 3);
    errors.push(fails(await page.call(api, "signIn", "enroll2", password), "ProtocolError", "html502"));
    const mfa = ok(await page.call(api, "signIn", "enroll2", password), "MFA sign-in");
    assert.equal(await mfa.get("type"), "totpCode");
    await page.assertSealed(mfa, "totpCode step");
    code = await env.freshCode(secret);
    const done = ok(await page.call(api, "confirmTotp", mfa, code), "confirm");
    const refresh = (await done.get("tokens")).refreshToken;
    secrets.push(await accessToken(done));
    secrets.push(refresh);
    const renewed = ok(await page.call(api, "refresh", refresh), "refresh");
    secrets.push(await renewed.str("accessToken"));
    ok(await page.call(api, "revokeToken", refresh), "revoke");
    errors.push(fails(await page.call(api, "refresh", refresh), "NotAuthorizedException", "revoked"));
    // Off again, so a rerun against the same emulator starts from a plain user.
    ok(await page.call(api, "disableTotp", "enroll2", password, token), "disable");

    const tapped = await page.page.evaluate(untapConsole);
    assert.ok(tapped.some((l) => l.includes("tap-canary")), `the console tap recorded nothing: ${tapped}`);
    assert.ok(page.console.some((l) => l.includes("tap-canary")), "the browser reported no console message");

    assert.deepEqual(await page.page.evaluate(pageStorage), before,
      "the library wrote to localStorage, sessionStorage or cookies");
    await page.page.evaluate(() => localStorage.removeItem("app-canary"));

    const said = [...tapped, ...page.console, ...page.pageErrors, ...errors.map((e) => `${describe(e)} ${e.text}`)];
    for (const s of secrets) {
      assert.ok(typeof s === "string" && s.length >= 16, "a secret too short to search for");
      for (const line of said) assert.ok(!line.includes(s), `a secret (${s.slice(0, 6)}…) appeared in: ${line}`);
    }
    await env.assertNeverSent(secrets[0], "the password");
    await env.assertNeverSent("Wrong-Passw0rd!", "the wrong password");
  }));
