// End-to-end test of the demo page (www/) in headless Chromium, driven by playwright-core, against the emulator.
//
// Needs DEMO_URL (the served page) and EMULATOR_URL (the emulator endpoint, e.g. http://127.0.0.1:9229/); the
// harness (`cargo xtask test`) starts both and sets them. The emulator must be freshly started with
// emulator/seed/demo.json: the test enrolls alice (and turns it off again), changes carol's password and enrolls dave.
// Screenshots of every screen land in target/e2e/NN-name.png.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdir, readFile, rm } from "node:fs/promises";
import { existsSync } from "node:fs";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { totp } from "./totp.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, "..");
const shotDir = path.join(repoRoot, "target", "e2e");
const seedPath = path.join(repoRoot, "emulator", "seed", "demo.json");

const DEMO_URL = process.env.DEMO_URL ?? "";
const EMULATOR_URL = withSlash(process.env.EMULATOR_URL ?? "");
// Without a page and an emulator every test fails: a suite that could not reach them must never look green.
const MISSING = DEMO_URL === "" || EMULATOR_URL === ""
  ? "DEMO_URL and EMULATOR_URL are not set (cargo xtask test starts the page and the emulator and sets them)"
  : "";

const CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];

// The page's wording for the errors this test provokes (www/messages.js and the screens' overrides).
const WRONG_PASSWORD_TEXT = "That username and password don't match. Check them and try again.";
const WRONG_REENTRY_TEXT = "That password isn't right. Enter your current password.";
const WRONG_TOTP_TEXT = "That code isn't right. Enter the code your authenticator app shows now.";
const SESSION_EXPIRED_TEXT = "This sign-in took too long and its session expired. Please sign in again.";

function withSlash(url) {
  return url === "" || url.endsWith("/") ? url : `${url}/`;
}

// ---------------------------------------------------------------------------------------------------------------
// Emulator dev endpoints

async function emulator(pathname, init) {
  const response = await fetch(new URL(pathname, EMULATOR_URL), init);
  assert.ok(response.ok, `${init?.method ?? "GET"} ${pathname} answered HTTP ${response.status}`);
  return response.json();
}

async function emulatorNow() {
  const { now } = await emulator("_emulator/clock");
  assert.equal(typeof now, "number", "the emulator clock reports a number");
  return now;
}

/** A code for the emulator's current time window; advances the clock first when a window was already used. */
async function codeFor(secret, { nextWindow }) {
  if (nextWindow) {
    await emulator("_emulator/clock", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ advanceSeconds: 30 }),
    });
  }
  return totp(secret, await emulatorNow());
}

async function requestsContaining(needle) {
  return emulator("_emulator/requests/contains", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ needle }),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Seed

let seed;

function seedUser(poolKey, username) {
  const pool = seed.pools.find((p) => p.key === poolKey);
  assert.ok(pool, `seed has pool ${poolKey}`);
  const user = pool.users.find((u) => u.username === username);
  assert.ok(user, `seed pool ${poolKey} has user ${username}`);
  return user;
}

// ---------------------------------------------------------------------------------------------------------------
// Browser, one context per test, with the page watched for everything it must not do

let browser;
const tokensOf = new WeakMap(); // page → async () => AuthenticationResult[] seen so far

before(async () => {
  if (MISSING) throw new Error(MISSING);
  seed = JSON.parse(await readFile(seedPath, "utf8"));
  await mkdir(shotDir, { recursive: true });
  browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
});

/**
 * Opens the demo in a fresh context, runs `body(page)`, then checks the page logged no CSP violation, page error
 * or console error (apart from at most `apiErrors` "HTTP 400" lines for requests to the endpoint, which Chromium
 * logs when an error is provoked on purpose), talked to no other origin, and left no storage or cookies behind.
 * On failure it saves target/e2e/failed-NAME.png and adds the console errors to the message.
 */
async function withDemo({ name, apiErrors = 0, viewport = { width: 1000, height: 900 } }, body) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const consoleErrors = [];
  const pageErrors = [];
  const origins = new Set();
  const allowedOrigins = new Set([new URL(DEMO_URL).origin, new URL(EMULATOR_URL).origin]);

  await page.addInitScript(() => {
    const seen = [];
    Object.defineProperty(window, "__cspViolations", { value: seen });
    document.addEventListener("securitypolicyviolation", (event) => {
      seen.push(`${event.effectiveDirective} blocked ${event.blockedURI || "inline"} (${event.sourceFile}:${event.lineNumber})`);
    }, true);
  });
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push({ text: message.text(), url: message.location().url ?? "" });
  });
  page.on("pageerror", (error) => pageErrors.push(String(error)));
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol === "data:" || url.protocol === "blob:") return;
    origins.add(url.origin);
  });
  // Tokens the endpoint hands out, to prove later that they never reach the DOM and that sign-out revokes them.
  const issued = [];
  const reading = [];
  page.on("response", (response) => {
    if (!response.url().startsWith(EMULATOR_URL) || response.request().method() !== "POST") return;
    reading.push(response.text().then((text) => {
      const result = JSON.parse(text)?.AuthenticationResult;
      if (result?.AccessToken) issued.push(result);
    }, () => {}));
  });
  tokensOf.set(page, async () => {
    await Promise.all(reading);
    return issued;
  });

  try {
    await page.goto(DEMO_URL);
    await page.getByTestId("screen-signin").waitFor();
    try {
      await body(page);
    } catch (err) {
      await page.screenshot({ path: path.join(shotDir, `failed-${name}.png`), fullPage: true })
        .catch(() => {});
      const logged = consoleErrors.map((e) => e.text).join("\n  ");
      if (logged) err.message += `\n(console errors:\n  ${logged})`;
      throw err;
    }

    const csp = await page.evaluate(() => [...window.__cspViolations]);
    assert.deepEqual(csp, [], "no Content-Security-Policy violation");
    assert.deepEqual(pageErrors, [], "no uncaught page error");
    const provoked = consoleErrors.filter((e) => e.url.startsWith(EMULATOR_URL) && /status of 400/.test(e.text));
    const other = consoleErrors.filter((e) => !provoked.includes(e));
    assert.deepEqual(other, [], "no console error");
    assert.ok(provoked.length <= apiErrors, `at most ${apiErrors} provoked API errors, saw ${provoked.length}`);
    for (const origin of origins) {
      assert.ok(allowedOrigins.has(origin), `request to ${origin}, which is neither the page nor the endpoint`);
    }
    assert.ok(origins.has(new URL(EMULATOR_URL).origin), "the page talked to the endpoint");

    // The one thing the page may store is a remembered device (IndexedDB "cognito-totp-demo"), and each test
    // that remembers one forgets it again: nothing is left.
    const storage = await page.evaluate(async () => {
      const names = typeof indexedDB.databases === "function" ? (await indexedDB.databases()).map((d) => d.name) : [];
      let devices = 0;
      if (names.includes("cognito-totp-demo")) {
        devices = await new Promise((resolve, reject) => {
          const open = indexedDB.open("cognito-totp-demo");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const db = open.result;
            const count = db.transaction("devices").objectStore("devices").count();
            count.onsuccess = () => { db.close(); resolve(count.result); };
            count.onerror = () => reject(count.error);
          };
        });
      }
      return {
        local: localStorage.length,
        session: sessionStorage.length,
        cookie: document.cookie,
        databases: names.filter((n) => n !== "cognito-totp-demo"),
        devices,
      };
    });
    assert.deepEqual(storage, { local: 0, session: 0, cookie: "", databases: [], devices: 0 },
      "nothing left stored in the browser");
    const html = await page.content();
    for (const result of await tokensOf.get(page)()) {
      for (const token of [result.AccessToken, result.IdToken, result.RefreshToken].filter(Boolean)) {
        assert.ok(!html.includes(token), "no token is written into the page");
      }
    }
    assert.deepEqual(await context.cookies(), [], "no cookies");
  } finally {
    await context.close();
  }
}

/**
 * Screenshots the page, after checking the screen does not scroll sideways (the card must fit) and that every
 * visible control has a name a screen reader can announce.
 */
async function shot(page, name) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `${name}: no horizontal scrolling (${overflow}px too wide)`);
  const unnamed = await page.evaluate(() => [...document.querySelectorAll("input, select, textarea, button, a[href]")]
    .filter((el) => el.getClientRects().length > 0 && el.getAttribute("aria-hidden") !== "true")
    .filter((el) => {
      const labelled = (el.labels?.length ?? 0) > 0 || el.getAttribute("aria-label") || el.getAttribute("aria-labelledby");
      const text = ["BUTTON", "A"].includes(el.tagName) ? el.textContent.trim() : "";
      return !labelled && text === "";
    })
    .map((el) => el.outerHTML.slice(0, 80)));
  assert.deepEqual(unnamed, [], `${name}: every control has an accessible name`);
  await page.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage: true });
}

async function screen(page, name) {
  const section = page.getByTestId(`screen-${name}`);
  await section.waitFor({ state: "visible" });
  return section;
}

async function focusedId(page) {
  return page.evaluate(() => document.activeElement?.id ?? "");
}

async function signIn(page, poolKey, username, password) {
  const pool = page.getByTestId("pool");
  if (await pool.isVisible()) await pool.selectOption(poolKey);
  await page.getByTestId("username").fill(username);
  await page.getByTestId("password").fill(password);
  await page.getByTestId("signin-submit").click();
}

async function expectStatus(page, kind, text) {
  const status = page.getByTestId("status");
  await page.locator(`[data-testid=status].is-${kind}`).waitFor();
  if (text !== undefined) assert.equal((await status.textContent()).trim(), text);
  return status;
}

/** A public Cognito call made by the test itself (not the page); resolves to [HTTP status, JSON body]. */
async function cognitoRaw(operation, body) {
  const response = await fetch(EMULATOR_URL, {
    method: "POST",
    headers: {
      "content-type": "application/x-amz-json-1.1",
      "x-amz-target": `AWSCognitoIdentityProviderService.${operation}`,
    },
    body: JSON.stringify(body),
  });
  return [response.status, await response.json()];
}

async function cognito(operation, body) {
  const [status, answer] = await cognitoRaw(operation, body);
  assert.equal(status, 200, `${operation}: ${JSON.stringify(answer)}`);
  return answer;
}

/** Signs out through the page and checks, from outside the browser, that the access token no longer works. */
async function signOut(page) {
  const issued = await tokensOf.get(page)();
  assert.ok(issued.length > 0, "the page was signed in with tokens from the endpoint");
  const { AccessToken: accessToken } = issued[issued.length - 1];
  await page.getByTestId("sign-out").click();
  await screen(page, "signin");
  await expectStatus(page, "success");
  const [status, answer] = await cognitoRaw("GetUser", { AccessToken: accessToken });
  assert.equal(status, 400, "GetUser with the signed-out access token is refused");
  assert.equal(answer.__type, "NotAuthorizedException");
}

/** Reads the setup key the enrollment screen shows and checks the QR next to it encodes the same key. */
async function readEnrollment(page, account) {
  const shown = (await page.getByTestId("secret").textContent()).trim();
  assert.match(shown, /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/, "the key is shown in groups of four");
  const secret = shown.replace(/\s+/g, "");
  const svg = page.locator("[data-testid=qr] svg");
  assert.equal(await svg.getAttribute("role"), "img");
  const name = await svg.evaluate((el) => el.getAttribute("aria-label") ??
    document.getElementById(el.getAttribute("aria-labelledby") ?? "")?.textContent ?? "");
  assert.match(name, new RegExp(account), "the QR has a text alternative naming the account");
  const link = await page.getByTestId("otpauth-link").getAttribute("href");
  assert.ok(link.startsWith("otpauth://totp/") && link.includes(`secret=${secret}`), `otpauth link: ${link}`);

  // Decode the rendered QR when zbarimg is available: the picture must carry the same URI as the link.
  if (existsSync("/usr/bin/zbarimg")) {
    const file = path.join(os.tmpdir(), `cognito-totp-e2e-qr-${process.pid}-${account}.png`);
    await page.getByTestId("qr").screenshot({ path: file });
    const { stdout } = await promisify(execFile)("/usr/bin/zbarimg", ["--raw", "-q", file]);
    await rm(file, { force: true });
    assert.equal(stdout.trim(), link, "the QR decodes to the otpauth URI");
  }
  return secret;
}

// ---------------------------------------------------------------------------------------------------------------

test("TOTP helper matches RFC 6238 appendix B (SHA-1)", () => {
  const secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"; // base32 of "12345678901234567890"
  assert.equal(totp(secret, 59, 8), "94287082");
  assert.equal(totp(secret, 1111111109, 8), "07081804");
  assert.equal(totp(secret, 2000000000, 8), "69279037");
});

test("sign-in page by keyboard; a wrong password shows the human message", async () => {
  const alice = seedUser("optional", "alice");
  await withDemo({ name: "wrong-password", apiErrors: 1 }, async (page) => {
    assert.equal(await focusedId(page), "signin-heading", "focus starts on the screen's heading");
    await shot(page, "01-sign-in");
    assert.ok(await page.getByTestId("demo-users").isVisible(), "emulator demo users are listed as hints");

    // Keyboard only: Tab through pool → username → password, Enter submits.
    await page.keyboard.press("Tab");
    assert.equal(await focusedId(page), "pool");
    await page.keyboard.press("Tab");
    assert.equal(await focusedId(page), "username");
    await page.keyboard.type("alice");
    await page.keyboard.press("Tab");
    assert.equal(await focusedId(page), "password");
    await page.keyboard.type(`${alice.password}-wrong`);
    await page.keyboard.press("Enter");

    const status = await expectStatus(page, "error", WRONG_PASSWORD_TEXT);
    assert.equal(await status.getAttribute("data-error-name"), "NotAuthorizedException");
    assert.equal(await status.getAttribute("aria-live"), "polite");
    assert.equal(await focusedId(page), "password", "focus returns to the refused password");
    assert.equal(await page.getByTestId("password").inputValue(), "", "the refused password is cleared");
    await shot(page, "02-wrong-password");
  });
});

test("alice enrolls an authenticator, signs in with it, then turns it off", async () => {
  const alice = seedUser("optional", "alice");
  await withDemo({ name: "alice", apiErrors: 2 }, async (page) => {
    // The hint fills the form with the seeded credentials.
    await page.getByTestId("demo-user-alice").click();
    assert.equal(await page.getByTestId("username").inputValue(), "alice");
    assert.equal(await page.getByTestId("password").inputValue(), alice.password);
    await page.getByTestId("signin-submit").click();

    await screen(page, "signed-in");
    assert.equal(await focusedId(page), "signed-in-heading");
    await page.locator("[data-testid=totp-status][data-state=off]").waitFor();
    assert.equal((await page.getByTestId("totp-status").textContent()).trim(), "Off");
    await shot(page, "03-signed-in-no-mfa");

    // Set up from the signed-in view: associate → QR → verify → preferred.
    await page.getByTestId("setup-totp").click();
    await screen(page, "enroll");
    const code = page.getByTestId("enroll-code");
    assert.equal(await code.getAttribute("inputmode"), "numeric");
    assert.equal(await code.getAttribute("autocomplete"), "one-time-code");
    const secret = await readEnrollment(page, "alice");
    await shot(page, "04-enroll-authenticator");
    // The copy button puts the bare key (no group spaces) on the clipboard.
    await page.context().grantPermissions(["clipboard-read", "clipboard-write"], { origin: new URL(DEMO_URL).origin });
    await page.getByTestId("copy-secret").click();
    await expectStatus(page, "success", "Setup key copied to the clipboard.");
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), secret);
    await code.fill(await codeFor(secret, { nextWindow: false }));
    await page.getByTestId("device-name").fill("Test phone");
    await page.getByTestId("enroll-submit").click();

    await screen(page, "signed-in");
    await page.locator("[data-testid=totp-status][data-state=on]").waitFor();
    assert.equal((await page.getByTestId("totp-status").textContent()).trim(), "On · preferred");
    await expectStatus(page, "success");
    await shot(page, "05-authenticator-on");

    // Outside the page, leave the app enabled but not preferred, so the page must offer "Make preferred".
    const [{ AccessToken: accessToken }] = (await tokensOf.get(page)()).slice(-1);
    await cognito("SetUserMFAPreference", {
      AccessToken: accessToken,
      SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: false },
    });
    await signOut(page);
    await shot(page, "06-signed-out");

    // Sign in again: now the TOTP prompt, first with a wrong code, then the right one.
    await signIn(page, "optional", "alice", alice.password);
    await screen(page, "totp");
    assert.equal(await focusedId(page), "totp-code", "focus moves to the code field");
    await shot(page, "07-totp-prompt");
    const right = await codeFor(secret, { nextWindow: true });
    const wrong = String((Number(right) + 500_000) % 1_000_000).padStart(6, "0");
    await page.getByTestId("totp-code").fill(wrong);
    await page.getByTestId("totp-submit").click();
    const status = await expectStatus(page, "error", WRONG_TOTP_TEXT);
    assert.equal(await status.getAttribute("data-error-name"), "CodeMismatchException");
    await shot(page, "08-totp-wrong-code");
    await page.getByTestId("totp-code").fill(right);
    await page.getByTestId("totp-submit").click();
    await screen(page, "signed-in");
    await page.locator("[data-testid=totp-status][data-state=on]").waitFor();
    assert.equal((await page.getByTestId("totp-status").textContent()).trim(), "On");
    await page.getByTestId("prefer-totp").click();
    await expectStatus(page, "success", "The authenticator app is now your preferred method.");
    assert.equal((await page.getByTestId("totp-status").textContent()).trim(), "On · preferred");
    assert.ok(await page.getByTestId("prefer-totp").isHidden());

    // Turn it off: the password is asked again; a wrong one is refused in words.
    await page.getByTestId("disable-totp").click();
    await screen(page, "disable");
    assert.equal(await focusedId(page), "disable-password");
    await shot(page, "09-turn-off-confirm");
    await page.getByTestId("disable-password").fill(`${alice.password}-wrong`);
    await page.getByTestId("disable-submit").click();
    await expectStatus(page, "error", WRONG_REENTRY_TEXT);
    await page.getByTestId("disable-password").fill(alice.password);
    await page.getByTestId("disable-submit").click();
    await screen(page, "signed-in");
    await page.locator("[data-testid=totp-status][data-state=off]").waitFor();
    await expectStatus(page, "success", "Authenticator app turned off.");
    await shot(page, "10-authenticator-off");

    await signOut(page);
    // Off for real: the next sign-in goes straight through without a code.
    await signIn(page, "optional", "alice", alice.password);
    await screen(page, "signed-in");
    await signOut(page);
  });
  const leaked = await requestsContaining(alice.password);
  assert.ok(leaked.total > 0, "the emulator logged the page's requests");
  assert.equal(leaked.count, 0, "no request carried alice's password");
});

test("bob signs in with his enrolled authenticator", async () => {
  const bob = seedUser("optional", "bob");
  assert.ok(bob.totpSecret, "the demo seed gives bob a TOTP secret");
  await withDemo({ name: "bob", apiErrors: 1 }, async (page) => {
    // A challenge answered after the 3-minute session lifetime sends the user back to sign in, in words.
    await signIn(page, "optional", "bob", bob.password);
    await screen(page, "totp");
    await emulator("_emulator/clock", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ advanceSeconds: 200 }),
    });
    await page.getByTestId("totp-code").fill(await codeFor(bob.totpSecret, { nextWindow: false }));
    await page.getByTestId("totp-submit").click();
    await screen(page, "signin");
    const status = await expectStatus(page, "error", SESSION_EXPIRED_TEXT);
    assert.equal(await status.getAttribute("data-error-name"), "NotAuthorizedException");
    await shot(page, "11-session-expired");

    await signIn(page, "optional", "bob", bob.password);
    await screen(page, "totp");
    await page.getByTestId("totp-code").fill(await codeFor(bob.totpSecret, { nextWindow: true }));
    await page.getByTestId("totp-submit").click();
    await screen(page, "signed-in");
    await page.locator("[data-testid=totp-status][data-state=on]").waitFor();
    await shot(page, "12-signed-in-with-totp");
    await signOut(page);
  });
});

test("bob remembers this browser, signs in without a code, forgets it, and is asked again", async () => {
  const bob = seedUser("optional", "bob");
  await withDemo({ name: "bob-device" }, async (page) => {
    await signIn(page, "optional", "bob", bob.password);
    await screen(page, "totp");
    await page.getByTestId("remember-device").check();
    await page.getByTestId("totp-code").fill(await codeFor(bob.totpSecret, { nextWindow: true }));
    await page.getByTestId("totp-submit").click();
    await screen(page, "signed-in");
    const mine = page.locator("[data-testid=device]", { hasText: "This browser" });
    await mine.waitFor();
    assert.match(await mine.textContent(), /Chromium on Linux.*This browser · remembered/s);
    await shot(page, "12b-devices-panel");
    // What the page stored: the device record, in IndexedDB only; the device secret never went over the wire.
    const record = await page.evaluate(() => new Promise((resolve, reject) => {
      const open = indexedDB.open("cognito-totp-demo");
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const all = open.result.transaction("devices").objectStore("devices").getAll();
        all.onsuccess = () => { open.result.close(); resolve(all.result); };
      };
    }));
    assert.equal(record.length, 1);
    assert.deepEqual(Object.keys(record[0]).sort(), ["groupKey", "key", "password"]);
    assert.equal((await requestsContaining(record[0].password)).count, 0, "the device password was sent");
    await signOut(page);

    // The next sign-in in this browser skips the code.
    await signIn(page, "optional", "bob", bob.password);
    await screen(page, "signed-in");
    await page.locator("[data-testid=totp-status][data-state=on]").waitFor();

    // Forgotten: the record is gone, and the next sign-in asks for the code again.
    await mine.waitFor();
    await mine.getByTestId("forget-device").click();
    await expectStatus(page, "success");
    await page.locator("[data-testid=device]", { hasText: "This browser" }).waitFor({ state: "detached" });
    await signOut(page);
    await signIn(page, "optional", "bob", bob.password);
    await screen(page, "totp");
    await page.getByTestId("totp-code").fill(await codeFor(bob.totpSecret, { nextWindow: true }));
    await page.getByTestId("totp-submit").click();
    await screen(page, "signed-in");
    await signOut(page);
  });
});

test("carol's temporary password leads to the new-password screen", async () => {
  const carol = seedUser("optional", "carol");
  await withDemo({ name: "carol" }, async (page) => {
    await signIn(page, "optional", "carol", carol.temporaryPassword ?? carol.password);
    await screen(page, "new-password");
    assert.equal(await focusedId(page), "new-password");
    await shot(page, "13-new-password");

    const fresh = "Carol-Changed-9!x";
    await page.getByTestId("new-password").fill(fresh);
    await page.getByTestId("confirm-password").fill(`${fresh}-typo`);
    await page.getByTestId("new-password-submit").click();
    await expectStatus(page, "error", "The two passwords don't match.");
    assert.equal(await focusedId(page), "confirm-password");

    await page.getByTestId("confirm-password").fill(fresh);
    for (const input of await page.locator("[data-attribute]").all()) {
      const name = await input.getAttribute("data-attribute");
      await input.fill(name === "email" ? "carol@example.com" : name === "phone_number" ? "+15555550123" : "Carol");
    }
    await page.getByTestId("new-password-submit").click();
    await screen(page, "signed-in");
    await shot(page, "14-signed-in-after-new-password");
    await signOut(page);

    // The new password is the one that works now.
    await signIn(page, "optional", "carol", fresh);
    await screen(page, "signed-in");
    await signOut(page);
  });
});

test("dave's first sign-in to the MFA-required pool enrolls an authenticator", async () => {
  const dave = seedUser("required", "dave");
  await withDemo({ name: "dave" }, async (page) => {
    await signIn(page, "required", "dave", dave.password);
    await screen(page, "enroll");
    assert.equal(await focusedId(page), "enroll-heading");
    const secret = await readEnrollment(page, "dave");
    await shot(page, "15-required-enrollment");
    await page.getByTestId("enroll-code").fill(await codeFor(secret, { nextWindow: false }));
    await page.getByTestId("enroll-submit").click();
    await screen(page, "signed-in");
    await page.locator("[data-testid=totp-status][data-state=on]").waitFor();
    await shot(page, "16-required-signed-in");
    await signOut(page);

    // From now on dave gets the code prompt, and the enrolled key answers it.
    await signIn(page, "required", "dave", dave.password);
    await screen(page, "totp");
    await page.getByTestId("totp-code").fill(await codeFor(secret, { nextWindow: true }));
    await page.getByTestId("totp-submit").click();
    await screen(page, "signed-in");
    await signOut(page);
  });
});

test("the sign-in page fits a phone screen", async () => {
  await withDemo({ name: "mobile", viewport: { width: 375, height: 740 } }, async (page) => {
    await shot(page, "17-sign-in-mobile");
    // The page has not talked to the endpoint yet; sign in once so the endpoint check below has something to see.
    const alice = seedUser("optional", "alice");
    await signIn(page, "optional", "alice", alice.password);
    await screen(page, "signed-in");
    await shot(page, "18-signed-in-mobile");
    await signOut(page);
  });
});
