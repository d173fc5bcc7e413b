// The demo sign-in app. It uses the package exactly as an npm user would, so it doubles as the usage example.
import init, { CognitoTotp } from "./pkg/cognito_totp.js";
import { describeError, FACTOR_LABELS } from "./messages.js";
import { dropDevice, loadDevice, saveDevice } from "./device-store.js";

const DEFAULT_ISSUER = "cognito-totp demo";

// Session state lives only in these module variables: never in localStorage, sessionStorage, cookies or the DOM,
// so a reload or sign-out forgets the tokens.
let config = null;
let client = null;
let signInName = "";
let tokens = null;
let pendingStep = null;
let enrollment = null; // { mode: "challenge" | "account", setup }
let signInPool = null;
// "Remember this browser" ticked on the code screen: the sign-in's new device is then confirmed and stored.
let rememberWanted = false;
// A client made when the password field gains focus, with its next sign-in's SRP key computed ahead
// (`prepare()`), so pressing "Sign in" only pays for the rest of the SRP work.
let warm = null; // { pool, client }

const $ = (id) => {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`missing element #${id}`);
  return el;
};

// ---------------------------------------------------------------------------------------------------------------
// Screens, status and focus

function showScreen(name) {
  let target = null;
  for (const section of document.querySelectorAll("section.screen")) {
    const on = section.dataset.screen === name;
    section.hidden = !on;
    if (on) target = section;
  }
  if (target === null) return;
  document.body.dataset.screen = name;
  const heading = target.querySelector("h1");
  document.title = `${heading ? heading.textContent : "Sign in"} · cognito-totp demo`;
  // A screen with one obvious field starts there; otherwise the heading takes focus so screen readers announce
  // the new screen and keyboard users continue from the top of it.
  const first = target.querySelector("[data-autofocus]");
  const focusTarget = first ?? heading;
  if (focusTarget) focusTarget.focus();
}

function setStatus(text, kind = "info", errorName = "") {
  const status = $("status");
  status.className = `status is-${kind}`;
  if (errorName) status.dataset.errorName = errorName;
  else delete status.dataset.errorName;
  status.textContent = text;
}

function clearStatus() {
  const status = $("status");
  status.className = "status";
  delete status.dataset.errorName;
  status.textContent = "";
}

/** Shows a library error in words; `overrides` lets a screen word a known error for its context. */
function showError(err, overrides = {}) {
  const described = describeError(err);
  if (described.sessionEnded) {
    forgetSession();
    resetToSignIn();
    setStatus(described.text, "error", described.name);
    return;
  }
  const text = Object.prototype.hasOwnProperty.call(overrides, described.name) ? overrides[described.name] : described.text;
  setStatus(text, "error", described.name);
}

/** A value the server refused: clear it so the user types it afresh, and put focus back on it. */
function markRejected(input) {
  input.value = "";
  input.setAttribute("aria-invalid", "true");
  input.focus();
}

function invalid(input, text) {
  input.setAttribute("aria-invalid", "true");
  setStatus(text, "error", "ValidationError");
  input.focus();
}

/** Runs an async action once at a time for `control` (a form or button), with a visible busy state. */
async function busy(control, label, action, overrides) {
  if (control.dataset.busy === "true") return;
  const button = control instanceof HTMLFormElement ? control.querySelector("button[type=submit]") : control;
  const original = button ? button.textContent : "";
  control.dataset.busy = "true";
  control.setAttribute("aria-busy", "true");
  if (button) {
    // aria-disabled instead of disabled: disabling the focused button would drop keyboard focus to <body>.
    button.setAttribute("aria-disabled", "true");
    button.classList.add("is-busy");
    button.textContent = label;
  }
  try {
    await action();
  } catch (err) {
    showError(err, overrides);
  } finally {
    delete control.dataset.busy;
    control.removeAttribute("aria-busy");
    if (button) {
      button.removeAttribute("aria-disabled");
      button.classList.remove("is-busy");
      button.textContent = original;
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Start-up

async function start() {
  let loaded;
  try {
    const response = await fetch("./config.json", { cache: "no-store" });
    if (!response.ok) throw named("ConfigError", `config.json answered HTTP ${response.status}.`);
    loaded = await response.json();
  } catch (err) {
    failStart("The page's configuration (config.json) could not be loaded.", err);
    return;
  }
  if (!Array.isArray(loaded?.pools) || loaded.pools.length === 0 ||
      !loaded.pools.every((p) => typeof p?.poolId === "string" && typeof p?.clientId === "string")) {
    failStart("config.json lists no usable user pool (each needs poolId and clientId).", named("ConfigError", "bad pools"));
    return;
  }
  config = loaded;

  try {
    await init();
  } catch (err) {
    failStart("The cognito-totp WebAssembly module could not be started.", err);
    return;
  }

  const select = $("pool");
  select.replaceChildren(...config.pools.map((pool, index) => {
    const option = document.createElement("option");
    option.value = poolValue(pool, index);
    option.textContent = pool.label || pool.poolId;
    return option;
  }));
  $("pool-field").hidden = config.pools.length < 2;
  select.addEventListener("change", showPoolId);
  $("signin-form").addEventListener("focusin", warmUp);
  showPoolId();
  renderDemoUsers();
  document.documentElement.dataset.ready = "true";
  showScreen("signin");
}

// Options carry the pool's stable key (what tests and the demo user hints refer to); the index is a fallback.
function poolValue(pool, index) {
  return typeof pool.key === "string" && pool.key !== "" ? pool.key : String(index);
}

function failStart(text, err) {
  const described = describeError(err);
  $("loading-heading").textContent = "The sign-in page could not start";
  document.querySelector("#screen-loading .lead").textContent = text;
  document.querySelector("#screen-loading .spinner").hidden = true;
  setStatus(`${described.name}: ${err?.message ?? String(err)}`, "error", described.name);
  document.documentElement.dataset.ready = "true";
  $("loading-heading").focus();
}

function named(name, message) {
  const err = new Error(message);
  err.name = name;
  return err;
}

function renderDemoUsers() {
  const users = config.emulator === true && Array.isArray(config.users) ? config.users : [];
  const box = $("demo-users");
  box.hidden = users.length === 0;
  $("demo-users-list").replaceChildren(...users.map((user) => {
    const poolIndex = config.pools.findIndex((p) => p.key === user.pool);
    const pool = config.pools[poolIndex];
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "hint";
    button.dataset.testid = `demo-user-${user.username}`;
    const name = document.createElement("span");
    name.className = "hint-name";
    name.textContent = user.username;
    const poolTag = document.createElement("span");
    poolTag.className = "hint-pool";
    poolTag.textContent = pool?.label ?? user.pool ?? "";
    const note = document.createElement("span");
    note.className = "hint-note";
    note.textContent = user.note ?? "";
    const pw = document.createElement("span");
    pw.className = "hint-password";
    pw.textContent = `password: ${user.password}`;
    button.append(name, poolTag, note, pw);
    const described = [user.note, poolTag.textContent].filter(Boolean).join(", ");
    button.setAttribute("aria-label", `Fill in ${user.username}${described ? ` (${described})` : ""}`);
    button.addEventListener("click", () => {
      if (pool) $("pool").value = poolValue(pool, poolIndex);
      showPoolId();
      $("username").value = user.username;
      $("password").value = user.password;
      $("signin-submit").focus();
    });
    item.append(button);
    return item;
  }));
}

function showPoolId() {
  const pool = currentPool();
  $("pool-id").textContent = `Pool ID ${pool.poolId}`;
}

function currentPool() {
  const value = $("pool").value;
  return config.pools.find((pool, index) => poolValue(pool, index) === value) ?? config.pools[0];
}

function warmUp() {
  const pool = currentPool();
  if (warm?.pool === pool) return;
  try {
    const prepared = makeClient(pool);
    prepared.prepare();
    warm = { pool, client: prepared };
  } catch {
    warm = null; // a bad pool configuration is reported by the sign-in itself
  }
}

function takeClient(pool) {
  const taken = warm?.pool === pool ? warm.client : makeClient(pool);
  warm = null; // the prepared key serves one sign-in only
  return taken;
}

function makeClient(pool) {
  const options = { userPoolId: pool.poolId, clientId: pool.clientId };
  if (typeof config.endpoint === "string" && config.endpoint !== "") options.endpoint = config.endpoint;
  if (typeof pool.clientSecret === "string" && pool.clientSecret !== "") options.clientSecret = pool.clientSecret;
  return new CognitoTotp(options);
}

// ---------------------------------------------------------------------------------------------------------------
// Sign-in and its challenges

function normalizeCode(raw) {
  return raw.replace(/[\s-]+/g, "");
}

async function handleStep(step) {
  pendingStep = step;
  switch (step?.type) {
    case "done": {
      pendingStep = null;
      const problem = await rememberIfWanted(step);
      await signedIn(step.tokens, enrollment?.mode === "challenge");
      if (problem) showError(problem);
      return;
    }
    case "totpCode": {
      const device = typeof step.friendlyDeviceName === "string" && step.friendlyDeviceName !== ""
        ? step.friendlyDeviceName : "";
      $("totp-lead").textContent = device
        ? `Open your authenticator app (${device}) and enter the 6-digit code it shows.`
        : "Open your authenticator app and enter the 6-digit code it shows.";
      $("totp-code").value = "";
      $("remember-device").checked = false;
      $("remember-field").hidden = false;
      showScreen("totp");
      return;
    }
    case "mfaSetup":
      await beginEnrollment("challenge", step);
      return;
    case "newPassword":
      renderRequiredAttributes(step.requiredAttributes);
      $("new-password-username").value = signInName;
      $("new-password").value = "";
      $("confirm-password").value = "";
      showScreen("new-password");
      return;
    case "selectMfa":
      renderMfaOptions(step.options);
      showScreen("select-mfa");
      return;
    case "smsCode":
    case "emailCode": {
      const channel = step.type === "smsCode" ? "by text message" : "by email";
      const to = typeof step.destination === "string" && step.destination !== "" ? ` to ${step.destination}` : "";
      $("code-heading").textContent = step.type === "smsCode" ? "Check your phone" : "Check your email";
      $("code-lead").textContent = `We sent a verification code ${channel}${to}. Enter it below.`;
      $("message-code").value = "";
      showScreen("code");
      return;
    }
    default:
      pendingStep = null;
      throw named("UnsupportedStep", `The library asked for a step this page does not handle: ${String(step?.type)}`);
  }
}

$("signin-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const form = event.currentTarget;
  clearStatus();
  const username = $("username").value.trim();
  const password = $("password").value;
  if (username === "") return invalid($("username"), "Enter your username.");
  if (password === "") return invalid($("password"), "Enter your password.");
  busy(form, "Signing in…", async () => {
    signInPool = currentPool();
    client = takeClient(signInPool);
    signInName = username;
    enrollment = null;
    rememberWanted = false;
    // A device this browser stored for the user goes with the sign-in: no code is asked if Cognito remembers it.
    const stored = await loadDevice(signInPool.poolId, username);
    let step;
    try {
      step = await client.signIn(username, password, stored ? { device: stored } : undefined);
    } catch (err) {
      // Keep the username, but make the user retype the password that was refused.
      $("password").value = "";
      $("password").focus();
      throw err;
    }
    $("password").value = "";
    if (step.deviceError) await dropDevice(signInPool.poolId, username);
    await handleStep(step);
    if (step.deviceError) {
      setStatus("This browser is no longer remembered for your account, so a code is needed again.", "info",
        step.deviceError.name);
    }
  });
});

$("totp-form").addEventListener("submit", (event) => {
  event.preventDefault();
  clearStatus();
  const input = $("totp-code");
  const code = normalizeCode(input.value);
  if (!/^\d{6}$/.test(code)) return invalid(input, "Enter the 6-digit code from your authenticator app.");
  rememberWanted = $("remember-device").checked;
  busy(event.currentTarget, "Verifying…", async () => {
    try {
      await handleStep(await client.confirmTotp(pendingStep, code));
    } catch (err) {
      markRejected(input);
      throw err;
    }
  });
});

function renderRequiredAttributes(list) {
  const names = Array.isArray(list) ? list.map((n) => String(n).replace(/^userAttributes\./, "")) : [];
  $("required-attributes").replaceChildren(...names.map((name) => {
    const field = document.createElement("div");
    field.className = "field";
    const id = `attr-${name.replace(/[^a-zA-Z0-9_-]/g, "_")}`;
    const label = document.createElement("label");
    label.htmlFor = id;
    label.textContent = humanAttribute(name);
    const input = document.createElement("input");
    input.id = id;
    input.name = name;
    input.required = true;
    input.dataset.attribute = name;
    input.dataset.testid = `attribute-${name}`;
    const kinds = { email: ["email", "email"], phone_number: ["tel", "tel"], name: ["text", "name"],
      given_name: ["text", "given-name"], family_name: ["text", "family-name"] };
    const [type, autocomplete] = kinds[name] ?? ["text", "off"];
    input.type = type;
    input.autocomplete = autocomplete;
    field.append(label, input);
    return field;
  }));
}

function humanAttribute(name) {
  const plain = name.replace(/^custom:/, "").replace(/_/g, " ");
  return plain.charAt(0).toUpperCase() + plain.slice(1);
}

$("new-password-form").addEventListener("submit", (event) => {
  event.preventDefault();
  clearStatus();
  const password = $("new-password").value;
  const confirm = $("confirm-password").value;
  if (password === "") return invalid($("new-password"), "Choose a new password.");
  if (password !== confirm) return invalid($("confirm-password"), "The two passwords don't match.");
  const attributes = {};
  for (const input of $("required-attributes").querySelectorAll("input[data-attribute]")) {
    if (input.value.trim() === "") return invalid(input, `Enter your ${humanAttribute(input.dataset.attribute).toLowerCase()}.`);
    attributes[input.dataset.attribute] = input.value.trim();
  }
  busy(event.currentTarget, "Saving…", async () => {
    const step = Object.keys(attributes).length > 0
      ? await client.completeNewPassword(pendingStep, password, attributes)
      : await client.completeNewPassword(pendingStep, password);
    $("new-password").value = "";
    $("confirm-password").value = "";
    await handleStep(step);
  });
});

function renderMfaOptions(options) {
  const list = Array.isArray(options) ? options : [];
  $("mfa-options").replaceChildren(...list.map((option, index) => {
    const label = document.createElement("label");
    label.className = "choice";
    const input = document.createElement("input");
    input.type = "radio";
    input.name = "factor";
    input.value = String(option);
    input.checked = index === 0;
    input.dataset.testid = `mfa-option-${option}`;
    const text = document.createElement("span");
    text.textContent = FACTOR_LABELS[option] ?? String(option);
    label.append(input, text);
    return label;
  }));
  const first = $("mfa-options").querySelector("input");
  if (first) first.dataset.autofocus = "";
}

$("select-mfa-form").addEventListener("submit", (event) => {
  event.preventDefault();
  clearStatus();
  const chosen = $("mfa-options").querySelector("input:checked");
  if (chosen === null) return setStatus("Choose how you want to verify.", "error", "ValidationError");
  busy(event.currentTarget, "Continuing…", async () => {
    await handleStep(await client.selectMfa(pendingStep, chosen.value));
  });
});

$("code-form").addEventListener("submit", (event) => {
  event.preventDefault();
  clearStatus();
  const input = $("message-code");
  const code = normalizeCode(input.value);
  if (!/^\d{4,10}$/.test(code)) return invalid(input, "Enter the code from the message we sent.");
  busy(event.currentTarget, "Verifying…", async () => {
    try {
      await handleStep(await client.confirmCode(pendingStep, code));
    } catch (err) {
      markRejected(input);
      throw err;
    }
  }, { CodeMismatchException: "That code isn't right. Check the latest message we sent you and try again." });
});

// ---------------------------------------------------------------------------------------------------------------
// Authenticator enrollment (both during sign-in, MFA_SETUP, and from the signed-in view)

async function beginEnrollment(mode, step) {
  const setup = await client.associateTotp(mode === "challenge" ? step : tokens.accessToken);
  enrollment = { mode, setup };
  const issuer = typeof config.issuer === "string" && config.issuer !== "" ? config.issuer : DEFAULT_ISSUER;
  const account = signInName;
  const title = `QR code that adds ${account} (${issuer}) to an authenticator app`;
  renderQr(setup.qrSvg({ issuer, account, title }), title);
  const secret = String(setup.secret);
  $("secret").textContent = secret.match(/.{1,4}/g)?.join(" ") ?? secret;
  $("otpauth-link").href = setup.uri({ issuer, account });
  $("enroll-code").value = "";
  $("enroll-code").removeAttribute("aria-invalid");
  $("device-name").value = "";
  $("enroll-cancel").textContent = mode === "challenge" ? "Use a different account" : "Cancel";
  $("enroll-lead").textContent = mode === "challenge"
    ? "This user pool requires a second factor. Scan the QR code with an authenticator app (Google Authenticator, 1Password, Authy, …), then enter the code it shows."
    : "Scan the QR code with an authenticator app (Google Authenticator, 1Password, Authy, …), then enter the code it shows.";
  showScreen("enroll");
}

function renderQr(svgText, label) {
  const doc = new DOMParser().parseFromString(String(svgText), "image/svg+xml");
  const root = doc.documentElement;
  if (root.localName !== "svg" || doc.getElementsByTagName("parsererror").length > 0) {
    throw named("ProtocolError", "The QR code returned by the library is not valid SVG.");
  }
  const svg = document.importNode(root, true);
  svg.setAttribute("role", "img");
  // The library labels its SVG with a <title>; anything else still gets a text alternative.
  if (svg.querySelector("title") === null) svg.setAttribute("aria-label", label);
  svg.setAttribute("focusable", "false");
  // The card's CSS decides the size; fixed pixel sizes from the generator would overflow on phones.
  svg.removeAttribute("width");
  svg.removeAttribute("height");
  $("qr").replaceChildren(svg);
}

function endEnrollment() {
  enrollment = null;
  $("qr").replaceChildren();
  $("secret").textContent = "";
  $("otpauth-link").href = "#";
}

$("copy-secret").addEventListener("click", async () => {
  const raw = $("secret").textContent.replace(/\s+/g, "");
  try {
    await navigator.clipboard.writeText(raw);
    setStatus("Setup key copied to the clipboard.", "success");
  } catch {
    // Clipboard access can be refused (permissions, insecure origin); selecting the key still lets the user copy it.
    const range = document.createRange();
    range.selectNodeContents($("secret"));
    const selection = window.getSelection();
    selection?.removeAllRanges();
    selection?.addRange(range);
    setStatus("The browser did not allow copying. The key is selected: press Ctrl+C (⌘C on a Mac) to copy it.", "info");
  }
});

$("enroll-form").addEventListener("submit", (event) => {
  event.preventDefault();
  clearStatus();
  const input = $("enroll-code");
  const code = normalizeCode(input.value);
  if (!/^\d{6}$/.test(code)) return invalid(input, "Enter the 6-digit code your authenticator app shows.");
  const deviceName = $("device-name").value.trim() || undefined;
  busy(event.currentTarget, "Verifying…", async () => {
    if (enrollment === null) throw named("StateError", "There is no enrollment in progress. Start again.");
    let next;
    try {
      next = await client.verifyTotp(enrollment.setup, code, deviceName);
    } catch (err) {
      markRejected(input);
      throw err;
    }
    if (enrollment.mode === "challenge") {
      await handleStep(next);
    } else {
      // Verified from the signed-in view: the app is enabled but not yet the method Cognito asks for.
      await client.setMfaPreference(tokens.accessToken, { totp: "preferred" });
      endEnrollment();
      await showAccount("Authenticator app turned on. You'll be asked for a code the next time you sign in.");
    }
  });
});

$("enroll-cancel").addEventListener("click", () => {
  clearStatus();
  if (enrollment?.mode === "account" && tokens !== null) {
    endEnrollment();
    showAccount("Setup cancelled. The authenticator app was not turned on.");
  } else {
    resetToSignIn();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Remembered devices

/** A name for this browser in the device list. */
function browserLabel() {
  const ua = navigator.userAgent;
  const browser = /Firefox\//.test(ua) ? "Firefox" : /Edg\//.test(ua) ? "Edge" : /Chrom/.test(ua) ? "Chromium"
    : /Safari\//.test(ua) ? "Safari" : "Browser";
  const os = /Windows/.test(ua) ? "Windows" : /Mac OS/.test(ua) ? "macOS" : /Android/.test(ua) ? "Android"
    : /iPhone|iPad/.test(ua) ? "iOS" : /Linux/.test(ua) ? "Linux" : "";
  return os ? `${browser} on ${os}` : browser;
}

/** Confirms and stores the sign-in's new device when the user asked; a failure is returned, not thrown. */
async function rememberIfWanted(step) {
  if (!rememberWanted || !step.newDevice) return null;
  rememberWanted = false;
  try {
    const device = await client.rememberDevice(step, { name: browserLabel() });
    await saveDevice(signInPool.poolId, signInName, device.toRecord());
    device.free();
    return null;
  } catch (err) {
    return err;
  }
}

async function renderDevices() {
  const panel = $("devices-panel");
  let page;
  try {
    page = await client.listDevices(tokens.accessToken, { limit: 60 });
  } catch {
    panel.hidden = true; // a pool without device tracking, or no permission: no panel
    return;
  }
  const stored = await loadDevice(signInPool.poolId, signInName);
  const list = $("devices-list");
  list.replaceChildren(...page.devices.map((device) => {
    const item = document.createElement("li");
    item.dataset.testid = "device";
    item.dataset.deviceKey = device.key;
    const name = document.createElement("span");
    name.className = "device-name";
    name.textContent = device.name || "Unnamed device";
    const detail = document.createElement("span");
    detail.className = "muted";
    const used = device.lastAuthenticatedAt ? ` · last used ${new Date(device.lastAuthenticatedAt).toLocaleString()}` : "";
    const here = stored?.key === device.key ? "This browser · " : "";
    detail.textContent = `${here}${device.remembered === false ? "not remembered" : "remembered"}${used}`;
    const forget = document.createElement("button");
    forget.type = "button";
    forget.className = "btn btn-link";
    forget.dataset.testid = "forget-device";
    forget.textContent = "Forget";
    forget.addEventListener("click", (event) => {
      clearStatus();
      busy(event.currentTarget, "Forgetting…", async () => {
        await client.forgetDevice(tokens.accessToken, device.key);
        if (stored?.key === device.key) await dropDevice(signInPool.poolId, signInName);
        await renderDevices();
        setStatus("Device forgotten: a code will be asked there again.", "success");
      });
    });
    item.append(name, detail, forget);
    return item;
  }));
  $("devices-empty").hidden = page.devices.length > 0;
  panel.hidden = false;
}

// ---------------------------------------------------------------------------------------------------------------
// Signed-in view

async function signedIn(newTokens, enrolledDuringSignIn) {
  tokens = newTokens;
  pendingStep = null;
  const when = new Date(Date.now() + Number(tokens.expiresIn ?? 0) * 1000);
  $("session-expiry").textContent = Number(tokens.expiresIn) > 0
    ? `Expires at ${when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })}`
    : "Access token issued";
  if (enrolledDuringSignIn) {
    endEnrollment();
    // MFA_SETUP enables the app but Cognito does not mark it preferred; doing it here keeps the status honest.
    try {
      await client.setMfaPreference(tokens.accessToken, { totp: "preferred" });
    } catch (err) {
      await showAccount();
      showError(err);
      return;
    }
    await showAccount("Authenticator app set up. You're signed in.");
    return;
  }
  await showAccount();
}

function attributeValue(attributes, name) {
  return attributes && typeof attributes === "object" && typeof attributes[name] === "string" ? attributes[name] : "";
}

async function showAccount(message) {
  $("signed-in-user").textContent = signInName;
  const badge = $("totp-status");
  let user = null;
  let failure = null;
  try {
    user = await client.getUser(tokens.accessToken);
  } catch (err) {
    failure = err;
  }
  if (failure !== null && describeError(failure).sessionEnded) {
    showError(failure);
    return;
  }
  const email = user ? attributeValue(user.attributes, "email") : "";
  $("email-row").hidden = email === "";
  $("user-email").textContent = email;
  if (user && user.username && user.username !== signInName) {
    $("signed-in-user").textContent = `${signInName} (${user.username})`;
  }

  const enabled = Array.isArray(user?.mfa?.enabled) ? user.mfa.enabled.map(String) : [];
  const preferred = user?.mfa?.preferred ? String(user.mfa.preferred) : "";
  const totpOn = enabled.includes("TOTP");
  const totpPreferred = preferred === "TOTP";
  if (user === null) {
    badge.dataset.state = "unknown";
    badge.textContent = "Unknown";
    $("totp-detail").textContent = "The MFA status could not be read.";
  } else if (totpOn) {
    badge.dataset.state = "on";
    badge.textContent = totpPreferred ? "On · preferred" : "On";
    $("totp-detail").textContent = totpPreferred
      ? "You're asked for a code from your authenticator app each time you sign in."
      : "Your authenticator app is set up but is not your preferred method.";
  } else {
    badge.dataset.state = "off";
    badge.textContent = "Off";
    $("totp-detail").textContent = "Add a second step to your sign-in with an authenticator app on your phone.";
  }
  const others = enabled.filter((f) => f !== "TOTP").map((f) => FACTOR_LABELS[f] ?? f);
  $("other-mfa").hidden = others.length === 0;
  $("other-mfa").textContent = others.length ? `Also enabled: ${others.join(", ")}.` : "";
  $("setup-totp").hidden = user === null || totpOn;
  $("prefer-totp").hidden = user === null || !totpOn || totpPreferred;
  $("disable-totp").hidden = user === null || !totpOn;

  await renderDevices();
  showScreen("signed-in");
  if (failure !== null) showError(failure);
  else if (message) setStatus(message, "success");
}

$("setup-totp").addEventListener("click", (event) => {
  clearStatus();
  busy(event.currentTarget, "Starting…", () => beginEnrollment("account"));
});

$("prefer-totp").addEventListener("click", (event) => {
  clearStatus();
  busy(event.currentTarget, "Saving…", async () => {
    await client.setMfaPreference(tokens.accessToken, { totp: "preferred" });
    await showAccount("The authenticator app is now your preferred method.");
  });
});

$("disable-totp").addEventListener("click", () => {
  clearStatus();
  $("disable-username").value = signInName;
  $("disable-password").value = "";
  $("disable-password").removeAttribute("aria-invalid");
  showScreen("disable");
});

$("disable-cancel").addEventListener("click", () => {
  clearStatus();
  $("disable-password").value = "";
  showAccount();
});

$("disable-form").addEventListener("submit", (event) => {
  event.preventDefault();
  clearStatus();
  const input = $("disable-password");
  const password = input.value;
  if (password === "") return invalid(input, "Enter your password to confirm.");
  busy(event.currentTarget, "Turning off…", async () => {
    try {
      await client.disableTotp(signInName, password, tokens.accessToken);
    } catch (err) {
      markRejected(input);
      throw err;
    } finally {
      input.value = "";
    }
    await showAccount("Authenticator app turned off.");
  }, { NotAuthorizedException: "That password isn't right. Enter your current password." });
});

$("sign-out").addEventListener("click", (event) => {
  clearStatus();
  busy(event.currentTarget, "Signing out…", async () => {
    const held = tokens;
    forgetSession();
    const problems = [];
    if (held !== null) {
      // Both calls are attempted: a failed global sign-out must not stop the refresh token being revoked.
      try {
        await client.globalSignOut(held.accessToken);
      } catch (err) {
        problems.push(err);
      }
      if (typeof held.refreshToken === "string" && held.refreshToken !== "") {
        try {
          await client.revokeToken(held.refreshToken);
        } catch (err) {
          problems.push(err);
        }
      }
    }
    resetToSignIn();
    if (problems.length === 0) {
      setStatus("You've signed out. Your tokens were revoked and forgotten.", "success");
    } else {
      const first = describeError(problems[0]);
      setStatus(`You're signed out on this page, but the server could not revoke every token: ${first.text}`,
        "error", first.name);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Shared resets

function forgetSession() {
  tokens = null;
  pendingStep = null;
  endEnrollment();
}

function resetToSignIn() {
  pendingStep = null;
  if (enrollment !== null) endEnrollment();
  for (const id of ["password", "totp-code", "enroll-code", "new-password", "confirm-password", "message-code", "disable-password"]) {
    $(id).value = "";
  }
  showScreen("signin");
}

for (const button of document.querySelectorAll("[data-action=restart]")) {
  button.addEventListener("click", () => {
    clearStatus();
    resetToSignIn();
  });
}

// Typing again clears a field's error marker.
document.addEventListener("input", (event) => {
  if (event.target instanceof HTMLElement) event.target.removeAttribute("aria-invalid");
});

// Nothing fails silently: anything that escapes a handler is shown to the user.
window.addEventListener("unhandledrejection", (event) => {
  event.preventDefault();
  showError(event.reason);
});
window.addEventListener("error", (event) => {
  // Before start-up finishes boot.js reports script errors; after it, they are the app's to show.
  if (document.documentElement.dataset.ready === "true") showError(event.error ?? new Error(event.message));
});

start();
