// Remembered devices end to end, in headless Chromium, through the package's public JS API against the emulator's
// `devices` pool (tracking on, remembered only on the user's prompt, MFA optional, TOTP users): a remembered
// device signs in without an MFA step; one not remembered is asked; a forgotten one is reported once as
// `step.deviceError` and the sign-in goes on as from a new device; a wrong device password is a typed error and
// the same object then signs in normally. The device's password stays in wasm until `toRecord()`.
// Emulator only (ministack has no device operations: e2e/ministack/README.md).
//
// By hand: as flows.test.mjs, with devices.test.mjs.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { Remote, fails, notRun, ok, suite, user, withPage } from "./harness.mjs";

const state = suite(before, after);

function emulatorOnly(what, body) {
  return withPage(state, async (env, page, t) => {
    if (!env.emulator) {
      notRun(what, `${env.backend} has no device operations`);
      t.skip(`${env.backend} has no device operations`);
      return;
    }
    await body(env, page);
  });
}

/** `{ device }` built in the page around a Device (or record) living there. */
async function through(device) {
  return new Remote(await device.handle.evaluateHandle((d) => ({ device: d })));
}

/** Signs `u` in with its TOTP code; the done step (with `newDevice`, the pool meeting this browser). */
async function signInWithCode(env, page, auth, u) {
  const step = ok(await page.call(auth, "signIn", u.username, u.pw));
  assert.equal(await step.get("type"), "totpCode", `${u.username}: a code is asked`);
  const done = ok(await page.call(auth, "confirmTotp", step, await env.freshCode(u.totpSecret)));
  assert.equal(await done.get("type"), "done");
  return done;
}

/** The package's `Device` class, for its static `fromRecord`. */
async function deviceClass(page) {
  return new Remote(await page.page.evaluateHandle(() => /** @type {any} */ (window).__ct.mod.Device));
}

test("a_remembered_device_skips_mfa_and_is_listed_updated_and_forgotten", emulatorOnly("remembered devices", async (env, page) => {
  const auth = await page.api("devices");
  const u = user("devices", "device1");
  const done = await signInWithCode(env, page, auth, u);
  const metadata = await done.get("newDevice");
  assert.match(metadata.key, /^us-east-1_[0-9a-f-]{36}$/, JSON.stringify(metadata));
  assert.ok(metadata.groupKey.length > 0);
  const token = (await done.get("tokens")).accessToken;

  await env.reset();
  const device = ok(await page.call(auth, "rememberDevice", done, { name: "Chromium under test" }));
  assert.deepEqual(await env.ops(), ["ConfirmDevice", "UpdateDeviceStatus"], "the pool asks: remembered on request");
  assert.equal(await device.get("key"), metadata.key);
  assert.equal(await device.get("groupKey"), metadata.groupKey);
  // The device password: only through toRecord(), never in JSON, never sent.
  const record = await device.invoke("toRecord");
  assert.deepEqual(Object.keys(record).sort(), ["groupKey", "key", "password"]);
  assert.equal(Buffer.from(record.password, "base64").length, 40);
  assert.deepEqual(JSON.parse(await device.json()), { key: metadata.key, groupKey: metadata.groupKey });
  const shown = await device.handle.evaluate((d) => Object.getOwnPropertyNames(d).map((k) => String(d[k])).join(" "));
  assert.ok(!shown.includes(record.password), "the password is on the Device object");

  // Signing in through it: no code asked, and no new device met.
  await env.reset();
  const again = ok(await page.call(auth, "signIn", u.username, u.pw, await through(device)));
  assert.equal(await again.get("type"), "done", "a remembered device skips MFA");
  assert.equal(await again.get("newDevice"), undefined);
  assert.equal(await again.get("deviceError"), undefined);
  assert.deepEqual(await env.ops(), ["InitiateAuth", "RespondToAuthChallenge", "RespondToAuthChallenge", "RespondToAuthChallenge"]);
  const bodies = page.requests.map((r) => r.body);
  assert.ok(bodies.some((b) => b.includes('"DEVICE_SRP_AUTH"')) && bodies.some((b) => b.includes('"DEVICE_PASSWORD_VERIFIER"')));
  await env.assertNeverSent(record.password, "the device password");
  await env.assertNeverSent(u.pw);

  // The stored record works as well as the Device object, in a fresh client (a reloaded page).
  const fresh = await page.api("devices");
  const viaRecord = ok(await page.call(fresh, "signIn", u.username, u.pw, { device: record }));
  assert.equal(await viaRecord.get("type"), "done");
  const restored = ok(await page.call(await deviceClass(page), "fromRecord", record));
  assert.equal(await restored.get("key"), metadata.key);
  const viaRestored = ok(await page.call(fresh, "signIn", u.username, u.pw, await through(restored)));
  assert.equal(await viaRestored.get("type"), "done");

  // The list shows it, remembered, with its name and dates.
  const page1 = ok(await page.call(auth, "listDevices", token, { limit: 10 }));
  const devices = await page1.get("devices");
  const mine = devices.find((d) => d.key === metadata.key);
  assert.ok(mine, JSON.stringify(devices));
  assert.equal(mine.name, "Chromium under test");
  assert.equal(mine.remembered, true);
  assert.ok(mine.createdAt > 1.5e12 && mine.lastAuthenticatedAt >= mine.createdAt, JSON.stringify(mine));
  const one = ok(await page.call(auth, "getDevice", token, device));
  assert.equal((await one.get("key")), metadata.key);

  // Not remembered any more: the code is asked again, the key still goes along.
  ok(await page.call(auth, "updateDeviceStatus", token, metadata.key, "not_remembered"));
  assert.equal((await ok(await page.call(auth, "getDevice", token, metadata.key)).get("remembered")), false);
  const asked = ok(await page.call(auth, "signIn", u.username, u.pw, await through(device)));
  assert.equal(await asked.get("type"), "totpCode", "a device not remembered is asked for MFA");
  const afterCode = ok(await page.call(auth, "confirmTotp", asked, await env.freshCode(u.totpSecret)));
  assert.equal(await afterCode.get("type"), "done");
  assert.equal(await afterCode.get("newDevice"), undefined, "a known device is not new");

  // Forgotten: the next sign-in through it reports it once, typed, and goes on as from a new device.
  ok(await page.call(auth, "updateDeviceStatus", token, device, "remembered"));
  ok(await page.call(auth, "forgetDevice", token, device));
  fails(await page.call(auth, "getDevice", token, metadata.key), "ResourceNotFoundException");
  await env.reset();
  const forgotten = ok(await page.call(auth, "signIn", u.username, u.pw, await through(device)));
  assert.equal(await forgotten.get("type"), "totpCode", "a forgotten device is asked for MFA");
  const notice = await forgotten.handle.evaluate((s) => ({
    isError: s.deviceError instanceof Error, name: s.deviceError?.name, message: s.deviceError?.message,
  }));
  assert.deepEqual(notice, { isError: true, name: "ResourceNotFoundException", message: "Device does not exist." });
  assert.equal((await env.ops()).filter((op) => op === "InitiateAuth").length, 2, "one fresh sign-in, no loop");
  const renewed = ok(await page.call(auth, "confirmTotp", forgotten, await env.freshCode(u.totpSecret)));
  const second = await renewed.get("newDevice");
  assert.ok(second && second.key !== metadata.key, "the sign-in met a new device");
}));

test("a_device_left_not_remembered_is_asked_for_mfa", emulatorOnly("devices not remembered", async (env, page) => {
  const auth = await page.api("devices");
  const u = user("devices", "device2");
  const done = await signInWithCode(env, page, auth, u);
  await env.reset();
  const device = ok(await page.call(auth, "rememberDevice", done, { name: "shared computer", remember: false }));
  assert.deepEqual(await env.ops(), ["ConfirmDevice"], "the pool leaves it not remembered: nothing more to send");
  const token = (await done.get("tokens")).accessToken;
  const listed = await ok(await page.call(auth, "getDevice", token, device)).get("remembered");
  assert.equal(listed, false);
  const step = ok(await page.call(auth, "signIn", u.username, u.pw, await through(device)));
  assert.equal(await step.get("type"), "totpCode");
  assert.equal(await step.get("deviceError"), undefined);
}));

test("a_wrong_device_password_is_typed_and_the_object_then_signs_in", emulatorOnly("wrong device password", async (env, page) => {
  const auth = await page.api("devices");
  const u = user("devices", "device3");
  const done = await signInWithCode(env, page, auth, u);
  const device = ok(await page.call(auth, "rememberDevice", done, { name: "tampered" }));
  const record = await device.invoke("toRecord");
  const wrong = { ...record, password: Buffer.alloc(40, 7).toString("base64") };
  const e = fails(await page.call(auth, "signIn", u.username, u.pw, { device: wrong }), "NotAuthorizedException");
  assert.equal(e.retryable, false);
  // The same object: with the right device, and without any.
  const right = ok(await page.call(auth, "signIn", u.username, u.pw, { device: record }));
  assert.equal(await right.get("type"), "done");
  const plain = ok(await page.call(auth, "signIn", u.username, u.pw));
  assert.equal(await plain.get("type"), "totpCode");
}));

test("device_input_is_checked_before_anything_is_sent", emulatorOnly("device input", async (env, page) => {
  const auth = await page.api("devices");
  const u = user("devices", "devplain");
  await env.reset();
  for (const device of [{ key: "us-east-1_x" }, { key: 1, groupKey: "g", password: "p" }, "a string", { key: "nounderscore", groupKey: "g", password: "p" }]) {
    fails(await page.call(auth, "signIn", u.username, u.pw, { device }), "InvalidParameterException", JSON.stringify(device));
  }
  fails(await page.call(auth, "signIn", u.username, u.pw, 7), "InvalidParameterException");
  const done = ok(await page.call(auth, "signIn", u.username, u.pw));
  const token = (await done.get("tokens")).accessToken;
  assert.deepEqual(await env.ops(), ["InitiateAuth", "RespondToAuthChallenge"], "nothing sent for the bad calls");
  fails(await page.call(auth, "rememberDevice", { tokens: { accessToken: token } }), "InvalidParameterException");
  fails(await page.call(auth, "rememberDevice", done, { remember: "yes" }), "InvalidParameterException");
  fails(await page.call(auth, "rememberDevice", done, { name: 3 }), "InvalidParameterException");
  fails(await page.call(auth, "updateDeviceStatus", token, "us-east-1_x", "forever"), "InvalidParameterException");
  fails(await page.call(auth, "listDevices", token, { limit: 0 }), "InvalidParameterException");
  fails(await page.call(auth, "getDevice", token, 42), "InvalidParameterException");
  fails(await page.call(auth, "forgetDevice", "", "us-east-1_x"), "InvalidParameterException");
  fails(await page.call(await deviceClass(page), "fromRecord", { key: "us-east-1_x", groupKey: "g" }), "InvalidParameterException");
  assert.deepEqual(await env.ops(), ["InitiateAuth", "RespondToAuthChallenge"], "nothing sent for the bad calls");
  // The pool met this browser: a device with no MFA to skip is still a device.
  const metadata = await done.get("newDevice");
  assert.ok(metadata?.key, "a tracking pool reports the new device");
  ok(await page.call(auth, "rememberDevice", done));
  const listed = await ok(await page.call(auth, "listDevices", token)).get("devices");
  assert.ok(listed.some((d) => d.key === metadata.key), JSON.stringify(listed));
}));
