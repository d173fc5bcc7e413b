// cognito-totp where its users put it: the packed bundler tarball, `npm install`ed into this directory, built
// into the app in app/ by Vite (vite/) and by webpack 5 (webpack/), each build then run in headless Chromium
// against the emulator: a sign-in answered with a TOTP code, and an MFA set-up through the QR code the package
// draws. A build error or warning, a page error, a console error or a failed request fails the test.
//
// Environment (set by `cargo xtask test`, stage bundlers, which also packs and installs the tarball):
//   COGNITO_TEST_CONFIG  the emulator (emulator/seed/test.json), as for e2e/client
//   COGNITO_TARBALL      the tarball `npm install` was given; node_modules/cognito-totp must come from it
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { lstatSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { Env, launch, user } from "../client/harness.mjs";

const HERE = path.dirname(fileURLToPath(import.meta.url));

function testEnv() {
  const raw = process.env.COGNITO_TEST_CONFIG;
  if (!raw) throw new Error("COGNITO_TEST_CONFIG not set: these tests need a running emulator (cargo xtask test)");
  return new Env(JSON.parse(raw), HERE);
}

// ---- the builds -----------------------------------------------------------------------------------------------

/** Vite's production build of vite/index.html, with no configuration; every warning or error it logs fails it. */
async function buildWithVite() {
  const { build, createLogger } = await import("vite");
  const logged = [];
  const logger = createLogger("warn");
  for (const level of ["warn", "warnOnce", "error"]) logger[level] = (msg) => logged.push(`${level}: ${msg}`);
  const root = path.join(HERE, "vite");
  await build({ root, configFile: false, customLogger: logger, logLevel: "warn" });
  assert.deepEqual(logged, [], "Vite logged warnings or errors");
  return { root: path.join(root, "dist"), index: "/" };
}

/** webpack's build with webpack/webpack.config.js; an error or warning in its stats fails the build. */
async function buildWithWebpack() {
  const { default: webpack } = await import("webpack");
  const { default: config } = await import(path.join(HERE, "webpack", "webpack.config.js"));
  rmSync(config.output.path, { recursive: true, force: true });
  const stats = await new Promise((resolve, reject) => {
    webpack(config, (err, result) => (err ? reject(err) : resolve(result)));
  });
  const text = stats.toString({ colors: false, all: false, errors: true, warnings: true });
  assert.ok(!stats.hasErrors() && !stats.hasWarnings(), `webpack reported problems:\n${text}`);
  // webpack/index.html loads dist/main.js, so the directory above dist is served.
  return { root: path.join(HERE, "webpack"), index: "/index.html" };
}

/** The `.wasm` files a build wrote (the package's kernel must be among the app's assets). */
function wasmFiles(dir) {
  return readdirSync(dir, { recursive: true }).filter((f) => String(f).endsWith(".wasm"));
}

// ---- serving and driving a build ------------------------------------------------------------------------------

const MIME = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".wasm": "application/wasm" };

/** A static server for `root` on 127.0.0.1 and a free port. */
async function serve(root) {
  const server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? "/", "http://x/").pathname);
    const file = path.join(root, pathname === "/" ? "index.html" : pathname);
    let body;
    try {
      if (!file.startsWith(root + path.sep)) throw new Error("outside the root");
      body = readFileSync(file);
    } catch {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": MIME[path.extname(file)] ?? "application/octet-stream" }).end(body);
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

/** A page of a build; records what must never happen (page errors, console errors, failed requests). */
async function openApp(browser, built, env, pool) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  const wasm = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e}`));
  page.on("console", (m) => m.type() === "error" && problems.push(`console error: ${m.text()}`));
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    if (r.url().endsWith(".wasm") && r.ok()) wasm.push(r.url());
  });
  const { clientId } = env.clientConfig(pool);
  const query = new URLSearchParams({ endpoint: env.endpoint, poolId: env.poolId(pool), clientId });
  await page.goto(`${built.server.url}${built.index}?${query}`);
  await status(page, "ready");
  return {
    page,
    async close() {
      await context.close();
      assert.deepEqual(problems, [], "the page had errors");
      assert.ok(wasm.length > 0, "the page loaded no .wasm: the package's kernel never ran");
    },
  };
}

/** Waits until the app's status line says `want`; an error the app shows fails at once. */
async function status(page, want) {
  await page.waitForFunction(
    (w) => document.getElementById("status")?.textContent === w || document.getElementById("error")?.textContent,
    want,
    { timeout: 60_000 },
  );
  assert.equal(await page.locator("#error").textContent(), "", "the app failed");
  assert.equal(await page.locator("#status").textContent(), want);
}

async function signInForm(page, u) {
  await page.getByLabel("Username", { exact: true }).fill(u.username);
  await page.getByLabel("Password", { exact: true }).fill(u.pw);
  await page.getByRole("button", { name: "Sign in" }).click();
}

async function sendCode(page, code) {
  await page.getByLabel("Code", { exact: true }).fill(code);
  await page.getByRole("button", { name: "Send code" }).click();
}

/** The QR code on the page, decoded from a screenshot by zbarimg (zbar-tools, installed with Chromium). */
async function decodeQr(page, name) {
  const file = path.join(os.tmpdir(), `cognito-totp-bundlers-${process.pid}-${name}.png`);
  await page.locator("#qr svg").screenshot({ path: file });
  try {
    const { stdout } = await promisify(execFile)("zbarimg", ["--raw", "-q", file]);
    return stdout.trim();
  } finally {
    rmSync(file, { force: true });
  }
}

// ---- the tests ------------------------------------------------------------------------------------------------

const state = { env: /** @type {Env | undefined} */ (undefined), browser: undefined, servers: [] };

before(async () => {
  state.env = testEnv();
  state.browser = await launch();
});

after(async () => {
  await Promise.all(state.servers.map((s) => s.close()));
  await state.browser?.close();
});

test("node_modules/cognito-totp is the packed tarball, installed by npm", () => {
  const tarball = process.env.COGNITO_TARBALL;
  assert.ok(tarball, "COGNITO_TARBALL not set: the tarball the stage installed");
  const installed = path.join(HERE, "node_modules", "cognito-totp");
  assert.ok(lstatSync(installed).isDirectory(), "cognito-totp is a link, not an installed package");
  const lock = JSON.parse(readFileSync(path.join(HERE, "node_modules", ".package-lock.json"), "utf8"));
  const entry = lock.packages["node_modules/cognito-totp"];
  assert.ok(entry, "npm's lock of node_modules has no cognito-totp");
  assert.equal(path.resolve(HERE, entry.resolved.replace(/^file:/, "")), path.resolve(tarball));
  assert.ok(entry.integrity, "installed from a tarball, npm records its integrity");
});

test("the README shows webpack/webpack.config.js as it is", () => {
  const readme = readFileSync(path.join(HERE, "..", "..", "README.md"), "utf8");
  const config = readFileSync(path.join(HERE, "webpack", "webpack.config.js"), "utf8");
  assert.ok(readme.includes("```js\n" + config + "```"), "README.md's webpack configuration differs from the app's");
});

// Each app gets its own MFA set-up user (a set-up changes the user) and signs in the TOTP user with a fresh code.
const APPS = [
  { name: "vite", build: buildWithVite, newbie: "newbie1" },
  { name: "webpack", build: buildWithWebpack, newbie: "newbie2" },
];

for (const app of APPS) {
  /** @type {Promise<{ root: string, index: string, server: { url: string, close(): Promise<unknown> } }>} */
  let built;
  const ready = () => {
    built ??= (async () => {
      const out = await app.build();
      const server = await serve(out.root);
      state.servers.push(server);
      return { ...out, server };
    })();
    return built;
  };

  test(`${app.name}: builds the app with the package's wasm among its assets`, async () => {
    const out = await ready();
    assert.ok(wasmFiles(out.root).length > 0, `no .wasm in ${out.root}`);
  });

  test(`${app.name}: USER_SRP_AUTH sign-in answered with a TOTP code`, async () => {
    const env = /** @type {Env} */ (state.env);
    const ui = await openApp(state.browser, await ready(), env, "optional");
    const u = user("optional", "totp");
    await signInForm(ui.page, u);
    await status(ui.page, "code from your authenticator app");
    await sendCode(ui.page, await env.freshCode(u.totpSecret));
    await status(ui.page, "signed in");
    const shown = JSON.parse(await ui.page.locator("#user").textContent());
    assert.equal(shown.username, "totp");
    assert.deepEqual(shown.mfa.enabled, ["TOTP"]);
    await env.assertNeverSent(u.pw);
    await ui.close();
  });

  test(`${app.name}: MFA set-up at first sign-in through the QR code drawn in the page`, async () => {
    const env = /** @type {Env} */ (state.env);
    const ui = await openApp(state.browser, await ready(), env, "required");
    const u = user("required", app.newbie);
    await signInForm(ui.page, u);
    await status(ui.page, "scan the QR code, then enter the first code");
    const secret = (await ui.page.locator("#secret").textContent()).trim();
    assert.match(secret, /^[A-Z2-7]{16,}$/);
    const uri = await decodeQr(ui.page, u.username);
    assert.ok(uri.startsWith(`otpauth://totp/Bundler%20test:${u.username}?`), uri);
    assert.equal(new URL(uri).searchParams.get("secret"), secret, "the QR carries the secret shown");
    await sendCode(ui.page, await env.freshCode(secret));
    await status(ui.page, "signed in");
    assert.ok(JSON.parse(await ui.page.locator("#user").textContent()).mfa.enabled.includes("TOTP"));
    await ui.close();
  });
}
