// The app both bundlers build (vite/, webpack/): a sign-in page that uses cognito-totp exactly as the package's
// users do — imported by name from node_modules, where `npm install <tarball>` put it. No init() call: the bundler
// build instantiates its wasm when the bundler loads the module.
//
// The pool comes from the query string (?endpoint=…&poolId=…&clientId=…); the test types username, password and
// codes into the form as a person would, and reads the outcome from the page.
import { CognitoTotp } from "cognito-totp";

const params = new URLSearchParams(location.search);
const auth = new CognitoTotp({
  endpoint: params.get("endpoint"),
  userPoolId: params.get("poolId"),
  clientId: params.get("clientId"),
});

// The page itself, so that the two bundlers' index.html files hold only their script tag.
document.body.innerHTML = `
  <form id="signin"><input name="username" aria-label="Username"> <input name="password" type="password"
    aria-label="Password"> <button>Sign in</button></form>
  <form id="code"><input name="code" inputmode="numeric" aria-label="Code"> <button>Send code</button></form>
  <p id="status"></p><p id="error"></p><div id="qr"></div><p id="secret"></p><pre id="user"></pre>`;

const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
const signInForm = /** @type {HTMLFormElement} */ ($("signin"));
const codeForm = /** @type {HTMLFormElement} */ ($("code"));

/** What the code form answers next: a TOTP challenge, or the first code of a new authenticator. */
let answer = null;

function show(status) {
  $("status").textContent = status;
}

function fail(error) {
  $("error").textContent = `${error.name}: ${error.message}`;
  console.error("cognito-totp:", error);
}

async function next(step) {
  switch (step.type) {
    case "done": {
      const user = await auth.getUser(step.tokens.accessToken);
      $("user").textContent = JSON.stringify({ username: user.username, mfa: user.mfa });
      show("signed in");
      return;
    }
    case "totpCode":
      answer = (code) => auth.confirmTotp(step, code);
      show("code from your authenticator app");
      return;
    case "mfaSetup": {
      const setup = await auth.associateTotp(step);
      const account = /** @type {HTMLInputElement} */ (signInForm.elements.namedItem("username")).value;
      $("qr").innerHTML = setup.qrSvg({ issuer: "Bundler test", account });
      $("secret").textContent = setup.secret;
      answer = (code) => auth.verifyTotp(setup, code, "bundler test");
      show("scan the QR code, then enter the first code");
      return;
    }
    default:
      throw new Error(`this app does not handle the step ${step.type}`);
  }
}

signInForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const form = new FormData(signInForm);
  show("signing in");
  auth.signIn(String(form.get("username")), String(form.get("password"))).then(next).catch(fail);
});

codeForm.addEventListener("submit", (event) => {
  event.preventDefault();
  const code = String(new FormData(codeForm).get("code"));
  show("checking the code");
  Promise.resolve().then(() => answer(code)).then(next).catch(fail);
});

show("ready");
