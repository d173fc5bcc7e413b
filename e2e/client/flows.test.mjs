// The network paths end to end, in headless Chromium, through the package's public JS API (imported from
// /pkg/cognito_totp.js as an app imports it), against the server named by COGNITO_TEST_CONFIG: the local
// emulator, or ministack for the paths it supports. Users and passwords come from the shared seed.
//
// Paths a backend cannot run print `NOT RUN: <path>: <reason>`, collected by the harness. Without
// COGNITO_TEST_CONFIG (or COGNITO_PKG_DIR) every test fails.
//
// By hand: start `target/debug/cognito-emulator --port 0 --seed emulator/seed/test.json`, build the config JSON
// from its output (DEVELOPERS.md), then
//   COGNITO_TEST_CONFIG='…' COGNITO_PKG_DIR=www/pkg node --test e2e/client/flows.test.mjs
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { fails, ok, suite, totp, user, withPage, wrongCode } from "./harness.mjs";

const state = suite(before, after);

/** @typedef {import("./harness.mjs").Remote} Remote */

/** The step is `done`; its tokens. */
async function tokens(step) {
  assert.equal(await step.get("type"), "done");
  return step.get("tokens");
}

async function access(step) {
  return (await tokens(step)).accessToken;
}

/** The step shows where the code went, masked as Cognito does (`+*******0100`), never in full. */
function assertMasked(shown, full) {
  assert.ok(typeof shown === "string" && shown !== "" && shown !== full, `${shown} vs ${full}`);
  assert.ok(shown.includes("*"), shown);
  if (full.startsWith("+")) assert.ok(shown.endsWith(full.slice(-4)), `${shown} vs ${full}`);
}

test("srp_sign_in_and_wrong_password", withPage(state, async (env, page) => {
  const auth = await page.api("optional");
  const plain = user("optional", "plain");
  const step = ok(await page.call(auth, "signIn", plain.username, plain.pw));
  const issued = await tokens(step);
  assert.ok(issued.idToken);
  assert.ok(issued.refreshToken);
  assert.equal(issued.tokenType, "Bearer");
  assert.ok(issued.expiresIn > 0);
  const me = ok(await page.call(auth, "getUser", issued.accessToken));
  assert.equal(await me.get("username"), "plain");
  assert.equal((await me.get("attributes")).email, plain.attributes.email);

  const e = fails(await page.call(auth, "signIn", "plain", "Wrong-Passw0rd!"), "NotAuthorizedException");
  assert.equal(e.retryable, false);

  // Non-ASCII username and password.
  const jorg = user("optional", "jörg");
  assert.equal(await ok(await page.call(auth, "signIn", jorg.username, jorg.pw)).get("type"), "done");

  // Bad input never reaches the server.
  fails(await page.call(auth, "signIn", "plain", ""), "InvalidParameterException");
  await env.assertNeverSent(plain.pw);
  await env.assertNeverSent(jorg.pw);
}));

test("alias_sign_in_and_secret_client", withPage(state, async (env, page) => {
  const alias = user("alias", "2f0b6c1e-7d3a-4e58-9b21-6a4c8e0d1f35");
  const aliasApi = await page.api("alias");
  assert.equal(await ok(await page.call(aliasApi, "signIn", alias.attributes.email, alias.pw)).get("type"), "done");

  const auth = await page.api("optional", "secret");
  const plain = user("optional", "plain");
  const step = ok(await page.call(auth, "signIn", plain.username, plain.pw));
  const { refreshToken } = await tokens(step);
  // With a client secret the SECRET_HASH needs the username.
  fails(await page.call(auth, "refresh", refreshToken), "InvalidParameterException");
  const renewed = ok(await page.call(auth, "refresh", refreshToken, "plain"));
  ok(await page.call(auth, "getUser", await renewed.str("accessToken")));
  await env.assertNeverSent(alias.pw);
}));

test("enroll_with_access_token_then_sign_in_with_totp_then_disable", withPage(state, async (env, page) => {
  const auth = await page.api("optional");
  const u = user("optional", "enroll1");
  let token = await access(ok(await page.call(auth, "signIn", u.username, u.pw)));

  const setup = ok(await page.call(auth, "associateTotp", token));
  const secret = await setup.str("secret");
  assert.equal(secret.length, 32, secret);
  const label = { issuer: "My App & Co", account: "enroll1@example.com" };
  const uri = await setup.invoke("uri", label);
  assert.ok(uri.startsWith("otpauth://totp/") && uri.includes(`secret=${secret}`), uri);
  const svg = await setup.invoke("qrSvg", label);
  assert.ok(svg.startsWith("<svg") || svg.startsWith("<?xml"), svg);

  // Wrong code first: refused, nothing enabled.
  const wrong = wrongCode(await env.codeNow(secret));
  fails(await page.call(auth, "verifyTotp", setup, wrong, "Browser"), "EnableSoftwareTokenMFAException");
  const verified = await page.call(auth, "verifyTotp", setup, await env.freshCode(secret), "Browser");
  ok(verified);
  assert.equal(verified.valueType, "undefined");
  ok(await page.call(auth, "setMfaPreference", token, { totp: "preferred" }));
  let me = ok(await page.call(auth, "getUser", token));
  assert.deepEqual((await me.get("mfa")).enabled, ["TOTP"]);
  assert.equal((await me.get("mfa")).preferred, "TOTP");

  // Now sign-in asks for the code.
  const step = ok(await page.call(auth, "signIn", u.username, u.pw));
  assert.equal(await step.get("type"), "totpCode");
  await page.assertSealed(step, "totpCode step");
  const code = await env.freshCode(secret);
  fails(await page.call(auth, "confirmTotp", step, wrongCode(code)), "CodeMismatchException");
  token = await access(ok(await page.call(auth, "confirmTotp", step, code)));

  // Turning it off re-checks the password: a wrong one changes nothing.
  fails(await page.call(auth, "disableTotp", "enroll1", "Wrong-Passw0rd!", token), "NotAuthorizedException");
  me = ok(await page.call(auth, "getUser", token));
  assert.deepEqual((await me.get("mfa")).enabled, ["TOTP"]);
  ok(await page.call(auth, "disableTotp", "enroll1", u.pw, token));
  me = ok(await page.call(auth, "getUser", token));
  assert.deepEqual((await me.get("mfa")).enabled, []);
  const again = ok(await page.call(auth, "signIn", u.username, u.pw));
  assert.equal(await again.get("type"), "done", "no code asked any more");
  await env.assertNeverSent(u.pw);
}));

test("totp_sign_in_wrong_code_reuse_and_session_expiry", withPage(state, async (env, page, t) => {
  if (!env.hasUser("TOTP sign-in with a seeded secret (wrong code, reuse, expiry)", "optional", "totp", t)) return;
  const auth = await page.api("optional");
  const u = user("optional", "totp");
  const secret = u.totpSecret;

  const step = ok(await page.call(auth, "signIn", u.username, u.pw));
  assert.equal(await step.get("type"), "totpCode");
  await page.assertSealed(step, "totpCode step");
  const code = await env.freshCode(secret);
  // The same step is answered again after a wrong code.
  fails(await page.call(auth, "confirmTotp", step, wrongCode(code)), "CodeMismatchException");
  fails(await page.call(auth, "confirmTotp", step, "12345"), "InvalidParameterException");
  const done = ok(await page.call(auth, "confirmTotp", step, code));
  assert.equal(await done.get("type"), "done");

  if (env.runs("reused TOTP code refused", "accepts a code twice")) {
    const step = ok(await page.call(auth, "signIn", u.username, u.pw));
    fails(await page.call(auth, "confirmTotp", step, code), "CodeMismatchException");
  }

  if (env.runs("session expiry", "has no movable clock")) {
    const step = ok(await page.call(auth, "signIn", u.username, u.pw));
    await env.advance(181);
    const e = fails(await page.call(auth, "confirmTotp", step, await env.codeNow(secret)), "NotAuthorizedException");
    assert.match(e.message, /expired/);
  }
  await env.assertNeverSent(u.pw);
}));

test("mfa_setup_through_the_session", withPage(state, async (env, page, t) => {
  if (!env.runs("MFA_SETUP (pool required)", "lacks MFA_SETUP", t)) return;
  const auth = await page.api("required");
  const u = user("required", "newbie1");
  const step = ok(await page.call(auth, "signIn", u.username, u.pw));
  assert.equal(await step.get("type"), "mfaSetup");
  assert.ok((await step.get("canSetup")).includes("TOTP"));
  assert.ok(!(await step.json()).toLowerCase().includes("session"));
  await page.assertSealed(step, "mfaSetup step");
  const setup = ok(await page.call(auth, "associateTotp", step));
  await page.assertSealed(setup, "TotpSetup of an MFA_SETUP");
  const secret = await setup.str("secret");
  const next = ok(await page.call(auth, "verifyTotp", setup, await env.freshCode(secret), "Browser"));
  assert.equal(await next.get("type"), "done");
  ok(await page.call(auth, "getUser", await access(next)));

  // From now on the sign-in asks for the code.
  const again = ok(await page.call(auth, "signIn", u.username, u.pw));
  assert.equal(await again.get("type"), "totpCode");
  const done = ok(await page.call(auth, "confirmTotp", again, await env.freshCode(secret)));
  assert.equal(await done.get("type"), "done");
  await env.assertNeverSent(u.pw);
}));

test("new_password_required", withPage(state, async (env, page) => {
  const auth = await page.api("optional");
  const u = user("optional", "temp");
  const step = ok(await page.call(auth, "signIn", u.username, u.pw));
  assert.equal(await step.get("type"), "newPassword");
  await page.assertSealed(step, "newPassword step");
  const attrs = {};
  for (const name of await step.get("requiredAttributes")) attrs[name] = u.attributes[name] ?? "Temp User";
  const newPassword = "Fresh-Passw0rd!9";
  const done = ok(await page.call(auth, "completeNewPassword", step, newPassword, attrs));
  assert.equal(await done.get("type"), "done");
  fails(await page.call(auth, "signIn", "temp", u.pw), "NotAuthorizedException");
  assert.equal(await ok(await page.call(auth, "signIn", "temp", newPassword)).get("type"), "done");
  await env.assertNeverSent(u.pw);
}));

test("select_mfa_type_then_sms_or_totp", withPage(state, async (env, page, t) => {
  if (!env.runs("SELECT_MFA_TYPE (user both)", "lacks SELECT_MFA_TYPE", t)) return;
  const auth = await page.api("optional");
  const u = user("optional", "both");
  const step = ok(await page.call(auth, "signIn", u.username, u.pw));
  assert.equal(await step.get("type"), "selectMfa");
  await page.assertSealed(step, "selectMfa step");
  assert.deepEqual([...(await step.get("options"))].sort(), ["SMS", "TOTP"]);
  fails(await page.call(auth, "selectMfa", step, "PIGEON"), "InvalidParameterException");
  const sms = ok(await page.call(auth, "selectMfa", step, "SMS"));
  assert.equal(await sms.get("type"), "smsCode");
  await page.assertSealed(sms, "smsCode step");
  const [code, destination] = await env.messageCode("both", "SMS");
  assertMasked(await sms.get("destination"), destination);
  assert.equal(await ok(await page.call(auth, "confirmCode", sms, code)).get("type"), "done");

  const second = ok(await page.call(auth, "signIn", u.username, u.pw));
  const totpStep = ok(await page.call(auth, "selectMfa", second, "TOTP"));
  assert.equal(await totpStep.get("type"), "totpCode");
  const done = ok(await page.call(auth, "confirmTotp", totpStep, await env.freshCode(u.totpSecret)));
  assert.equal(await done.get("type"), "done");
  await env.assertNeverSent(u.pw);
}));

test("sms_and_email_codes", withPage(state, async (env, page, t) => {
  if (!env.runs("SMS and EMAIL codes", "has no /_emulator/messages to read the code from", t)) return;
  const auth = await page.api("optional");
  for (const [name, channel, kind] of [["sms", "SMS", "smsCode"], ["email", "EMAIL", "emailCode"]]) {
    const u = user("optional", name);
    const step = ok(await page.call(auth, "signIn", u.username, u.pw));
    assert.equal(await step.get("type"), kind);
    await page.assertSealed(step, `${kind} step`);
    const [code, destination] = await env.messageCode(name, channel);
    assertMasked(await step.get("destination"), destination);
    fails(await page.call(auth, "confirmCode", step, wrongCode(code)), "CodeMismatchException");
    assert.equal(await ok(await page.call(auth, "confirmCode", step, code)).get("type"), "done", name);
    await env.assertNeverSent(u.pw);
  }
}));

test("refresh_global_sign_out_and_revoke", withPage(state, async (env, page) => {
  const auth = await page.api("optional");

  let u = user("optional", "enroll3");
  let refresh = (await tokens(ok(await page.call(auth, "signIn", u.username, u.pw)))).refreshToken;
  const renewed = ok(await page.call(auth, "refresh", refresh));
  const freshAccess = await renewed.str("accessToken");
  ok(await page.call(auth, "getUser", freshAccess));
  ok(await page.call(auth, "globalSignOut", freshAccess));
  const e = fails(await page.call(auth, "getUser", freshAccess), "NotAuthorizedException");
  assert.equal(e.retryable, false);
  fails(await page.call(auth, "refresh", refresh), "NotAuthorizedException");

  u = user("optional", "enroll4");
  refresh = (await tokens(ok(await page.call(auth, "signIn", u.username, u.pw)))).refreshToken;
  ok(await page.call(auth, "revokeToken", refresh));
  fails(await page.call(auth, "refresh", refresh), "NotAuthorizedException");
}));

test("totp_in_a_pool_without_software_tokens", withPage(state, async (env, page, t) => {
  if (!env.runs("AssociateSoftwareToken refused in a pool without software-token MFA",
    "does not enforce the pool's MFA types", t)) return;
  const auth = await page.api("nototp");
  const u = user("nototp", "plain");
  const token = await access(ok(await page.call(auth, "signIn", u.username, u.pw)));
  fails(await page.call(auth, "associateTotp", token), "SoftwareTokenMFANotFoundException");
}));

test("faults_are_retried_or_reported_by_name", withPage(state, async (env, page, t) => {
  if (!env.runs("retries and malformed responses over the network", "has no /_emulator/faults", t)) return;
  const auth = await page.api("optional");
  const u = user("optional", "plain");
  const token = await access(ok(await page.call(auth, "signIn", u.username, u.pw)));

  // Throttled twice, then served: the third try succeeds.
  await env.fault("GetUser", "throttle", 2);
  ok(await page.call(auth, "getUser", token));
  // Throttled three times: given up, retryable.
  await env.fault("GetUser", "throttle", 3);
  const e = fails(await page.call(auth, "getUser", token), "TooManyRequestsException");
  assert.equal(e.retryable, true);
  // An HTML 502 three times is a protocol failure; a 500 once is retried away.
  await env.fault("GetUser", "html502", 3);
  fails(await page.call(auth, "getUser", token), "ProtocolError");
  await env.fault("GetUser", "http500", 1);
  ok(await page.call(auth, "getUser", token));
  // Malformed 200s are not retried: each is one ProtocolError.
  for (const kind of ["empty", "truncated", "missingMembers"]) {
    await env.fault("GetUser", kind, 1);
    fails(await page.call(auth, "getUser", token), "ProtocolError", kind);
    ok(await page.call(auth, "getUser", token));
  }
  // A wrong password is never retried: exactly one InitiateAuth and one answer reach the server.
  await env.dev("DELETE", "requests");
  fails(await page.call(auth, "signIn", "plain", "Wrong-Passw0rd!"), "NotAuthorizedException");
  const targets = (await env.dev("GET", "requests")).map((r) => r.target);
  assert.equal(targets.length, 2, JSON.stringify(targets));
  assert.ok(targets[0].endsWith("InitiateAuth") && targets[1].endsWith("RespondToAuthChallenge"),
    JSON.stringify(targets));

  // timeoutMs aborts a slow answer: NetworkError after the tries.
  const impatient = ok(await page.client(env.clientConfig("optional", "web", { timeoutMs: 200 })));
  await env.fault("GetUser", "slow", 3, 2000);
  const slow = await page.call(impatient, "getUser", token);
  const timedOut = fails(slow, "NetworkError");
  assert.match(timedOut.message, /timed out/);
  assert.ok(slow.ms < 1900, `the timeout did not cut the wait (${slow.ms} ms)`);
  await env.dev("DELETE", "faults");
}));

test("prepare_endpoint_and_the_free_functions", withPage(state, async (env, page) => {
  // The endpoint: as configured, or Cognito's for the pool's region.
  const auth = await page.api("optional");
  assert.equal(await auth.get("endpoint"), env.endpoint);
  const regional = ok(await page.client({ userPoolId: "eu-west-2_Abc123", clientId: "c" }));
  assert.equal(await regional.get("endpoint"), "https://cognito-idp.eu-west-2.amazonaws.com/");

  // prepare() computes the next sign-in's key; each sign-in sends its own SRP_A, a prepared one included, and a
  // second prepare() replaces an unused key instead of queueing it.
  const u = user("optional", "plain");
  const sent = () => page.requests.filter((r) => r.target.endsWith(".InitiateAuth"))
    .map((r) => JSON.parse(r.body).AuthParameters.SRP_A);
  const prepared = await page.call(auth, "prepare");
  ok(prepared);
  assert.equal(prepared.valueType, "undefined");
  assert.equal(await ok(await page.call(auth, "signIn", u.username, u.pw)).get("type"), "done");
  assert.equal(await ok(await page.call(auth, "signIn", u.username, u.pw)).get("type"), "done");
  ok(await page.call(auth, "prepare"));
  ok(await page.call(auth, "prepare"));
  assert.equal(await ok(await page.call(auth, "signIn", u.username, u.pw)).get("type"), "done");
  const keys = sent();
  assert.equal(keys.length, 3, "one InitiateAuth per sign-in");
  assert.equal(new Set(keys).size, 3, "an SRP key served two sign-ins");
  for (const a of keys) assert.match(a, /^[0-9a-f]+$/);

  // The free functions of the entry, as the page imports them.
  const secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
  const code = await ok(await page.fn("totpCode", secret, 1_700_000_000)).data();
  assert.equal(code, totp(secret, 1_700_000_000));
  fails(await page.fn("totpCode", "not base32!", 0), "InvalidParameterException");
  fails(await page.fn("totpCode", secret, -1), "InvalidParameterException");
  const uri = await ok(await page.fn("otpauthUri", { secret, issuer: "A&B", account: "me" })).data();
  assert.ok(uri.startsWith("otpauth://totp/") && uri.includes(`secret=${secret}`) && uri.includes("A%26B"), uri);
  const svg = await ok(await page.fn("qrSvg", uri, { ecc: "H", title: "Scan me" })).data();
  assert.ok(svg.startsWith("<svg") && /<title[^>]*>Scan me<\/title>/.test(svg), svg.slice(0, 200));
  fails(await page.fn("qrSvg", uri, { dark: "not a colour;" }), "InvalidParameterException");
  await env.assertNeverSent(u.pw);
}));
