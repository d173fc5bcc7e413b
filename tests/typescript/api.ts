// Type-level test of the package's cognito_totp.d.ts (hand-written, js/): the Step union narrows on
// `type`, every method takes and returns the documented types, and misuse is a compile error
// (@ts-expect-error). Build the package into www/pkg (`cargo xtask demo`, or the e2e stage of
// `cargo xtask test`), then: bench/node_modules/.bin/tsc -p tests/typescript
import init, { CognitoTotp, qrSvg, otpauthUri, totpCode, type Step, type Tokens, type CognitoTotpError, type User } from "cognito-totp";

async function main(ask: (l: string) => Promise<string>): Promise<Tokens> {
  await init();
  const auth = new CognitoTotp({ userPoolId: "us-east-1_A", clientId: "c", timeoutMs: 1000 });
  let step: Step = await auth.signIn("u", "p");
  for (;;) {
    switch (step.type) {
      case "done": return step.tokens;
      case "totpCode": step = await auth.confirmTotp(step, await ask(step.friendlyDeviceName ?? "code")); break;
      case "smsCode": case "emailCode": step = await auth.confirmCode(step, await ask(step.destination ?? "")); break;
      case "selectMfa": step = await auth.selectMfa(step, step.options[0]); break;
      case "newPassword": {
        const attrs: Record<string, string> = {};
        for (const a of step.requiredAttributes) attrs[a] = "x";
        step = await auth.completeNewPassword(step, "pw", attrs);
        break;
      }
      case "mfaSetup": {
        const setup = await auth.associateTotp(step);
        const svg: string = setup.qrSvg({ issuer: "I", account: "a", ecc: "H", border: 4 });
        const uri: string = setup.uri({ issuer: "I", account: "a" });
        void svg; void uri;
        const next = await auth.verifyTotp(setup, "123456", "phone");
        if (next) step = next;
        break;
      }
    }
  }
}
async function signedIn(auth: CognitoTotp, t: Tokens) {
  const setup = await auth.associateTotp(t.accessToken);
  await auth.verifyTotp(setup, "123456");
  await auth.setMfaPreference(t.accessToken, { totp: "preferred", sms: "disabled" });
  const u: User = await auth.getUser(t.accessToken);
  const enabled: ("TOTP" | "SMS" | "EMAIL")[] = u.mfa.enabled;
  void enabled;
  const r: Tokens = await auth.refresh(t.refreshToken ?? "");
  await auth.globalSignOut(r.accessToken);
  await auth.revokeToken(t.refreshToken ?? "");
  await auth.disableTotp("u", "p", t.accessToken);
  try { await auth.signIn("", ""); } catch (e) { const err = e as CognitoTotpError; const b: boolean = err.retryable; void b; }
  const s: string = qrSvg("x", { dark: "#000" }) + qrSvg("y") + otpauthUri({ secret: "S", issuer: "I", account: "a" }) + totpCode("S") + totpCode("S", 1);
  void s;
  // @ts-expect-error: a wrong MFA name is a type error
  await auth.selectMfa((await auth.signIn("u", "p")) as any, "PIGEON");
  // @ts-expect-error: a done step cannot be answered
  const d = await auth.signIn("u", "p"); if (d.type === "done") await auth.confirmTotp(d, "1");
}
void main; void signedIn;
