// cognito-totp from Node (≥ 20): the web build's tarball, `npm install`ed into this directory by the stage, loaded
// with `initSync` as the README shows, then a whole USER_SRP_AUTH + TOTP sign-in over Node's global fetch against
// the emulator, and the helpers that need no pool.
//
// Environment (set by `cargo xtask test`, stage bundlers): COGNITO_TEST_CONFIG, the emulator with the test seed.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CognitoTotp, initSync } from "cognito-totp";
import { otpauthUri, qrSvg, totpCode } from "cognito-totp";
import { Env, totp, user } from "../../client/harness.mjs";

// The README's Node set-up, word for word (the first test checks that each of its lines is in this file).
initSync({ module: readFileSync(new URL(import.meta.resolve("cognito-totp/cognito_totp_bg.wasm"))) });

test("the README's Node set-up is the one this file runs", () => {
  const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
  const block = readme.split("**Node ≥ 20**")[1]?.match(/```js\n([^`]*)```/)?.[1];
  assert.ok(block, "README.md has no Node code block after **Node ≥ 20**");
  const source = readFileSync(fileURLToPath(import.meta.url), "utf8");
  for (const line of block.trim().split("\n")) {
    assert.ok(source.includes(line), `README line not in this test: ${line}`);
  }
});

test("a TOTP sign-in from Node over its global fetch", async () => {
  const raw = process.env.COGNITO_TEST_CONFIG;
  assert.ok(raw, "COGNITO_TEST_CONFIG not set: this test needs a running emulator (cargo xtask test)");
  const env = new Env(JSON.parse(raw), "");
  const auth = new CognitoTotp(env.clientConfig("optional"));
  const u = user("optional", "totp");
  const step = await auth.signIn(u.username, u.pw);
  assert.equal(step.type, "totpCode");
  const done = await auth.confirmTotp(step, await env.freshCode(u.totpSecret));
  assert.equal(done.type, "done");
  const me = await auth.getUser(done.tokens.accessToken);
  assert.equal(me.username, "totp");
  await env.assertNeverSent(u.pw);
});

test("the helpers without a pool", () => {
  const secret = "JBSWY3DPEHPK3PXP";
  assert.equal(totpCode(secret, 1_700_000_000), totp(secret, 1_700_000_000));
  const uri = otpauthUri({ secret, issuer: "Node", account: "n@example.com" });
  assert.ok(uri.startsWith("otpauth://totp/Node:n%40example.com?"), uri);
  const svg = qrSvg(uri, { title: "QR" });
  assert.ok(svg.startsWith("<svg") && svg.endsWith("</svg>"), svg.slice(0, 80));
});
