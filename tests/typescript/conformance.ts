// The JS implementation (js/, checked with checkJs) against the hand-written public typings: each
// export must be assignable to what cognito_totp.d.ts promises, so the two cannot drift apart unnoticed.
// (js/cognito_totp.js itself only re-exports these; importing it here would resolve to the .d.ts.)
import * as impl from "../../js/client.js";
import init, { initSync } from "../../js/init.js";
import type * as api from "cognito-totp";

// `[Symbol.dispose]` is attached at run time only where the platform has the symbol, so checkJs cannot see
// it: the promise is checked without it, through every method's result.
type Checked<T> = T extends (...args: infer A) => infer R ? (...args: A) => Checked<R>
  : T extends Promise<infer U> ? Promise<Checked<U>>
  : T extends object ? { [K in keyof T as K extends typeof Symbol.dispose ? never : K]: Checked<T[K]> }
  : T;

const client: new (config: api.CognitoTotpConfig) => Checked<api.CognitoTotp> = impl.CognitoTotp;
const setup: Checked<api.TotpSetup> = impl.TotpSetup.prototype;
const functions: [typeof api.qrSvg, typeof api.otpauthUri, typeof api.totpCode, typeof api.default, typeof api.initSync] =
  [impl.qrSvg, impl.otpauthUri, impl.totpCode, init, initSync];
void client; void setup; void functions;
