// The public types of cognito-totp (hand-written: the implementation is plain JS over a wasm kernel).

/** Options of `new CognitoTotp(...)`. */
export interface CognitoTotpConfig {
  /** `us-east-1_AbC123`; the region part picks the default endpoint. */
  userPoolId: string;
  /** The app client id. */
  clientId: string;
  /** Defaults to `https://cognito-idp.{region}.amazonaws.com/`. http:// only to 127.0.0.1, localhost or [::1]. */
  endpoint?: string;
  /** Only for app clients with a secret (tools, tests); a secret shipped to browsers is not secret. */
  clientSecret?: string;
  /** Abort each HTTP request after this many milliseconds. */
  timeoutMs?: number;
}

/** Tokens of a finished sign-in or refresh. The library never stores them. */
export interface Tokens {
  accessToken: string;
  idToken: string;
  /** Absent after `refresh` unless the pool rotates refresh tokens. */
  refreshToken?: string;
  expiresIn: number;
  tokenType: string;
}

export type MfaType = "TOTP" | "SMS" | "EMAIL";

interface StepBase {
  /** The public fields as a plain object (the Session is never among them). */
  toJSON(): object;
}
export interface DoneStep extends StepBase { readonly type: "done"; readonly tokens: Tokens; }
/** SOFTWARE_TOKEN_MFA: answer with `confirmTotp(step, code)`. */
export interface TotpCodeStep extends StepBase { readonly type: "totpCode"; readonly friendlyDeviceName?: string; }
/** MFA_SETUP: `associateTotp(step)`, show the QR code, then `verifyTotp(setup, code)`. */
export interface MfaSetupStep extends StepBase { readonly type: "mfaSetup"; readonly canSetup: MfaType[]; }
/** NEW_PASSWORD_REQUIRED: answer with `completeNewPassword(step, password, attributes?)`. */
export interface NewPasswordStep extends StepBase {
  readonly type: "newPassword";
  /** Attribute names (without the `userAttributes.` prefix) to supply. */
  readonly requiredAttributes: string[];
  readonly userAttributes: Record<string, string>;
}
/** SELECT_MFA_TYPE: answer with `selectMfa(step, one of options)`. */
export interface SelectMfaStep extends StepBase { readonly type: "selectMfa"; readonly options: MfaType[]; }
/** SMS_MFA: answer with `confirmCode(step, code)`. */
export interface SmsCodeStep extends StepBase { readonly type: "smsCode"; readonly destination?: string; }
/** EMAIL_OTP: answer with `confirmCode(step, code)`. */
export interface EmailCodeStep extends StepBase { readonly type: "emailCode"; readonly destination?: string; }
/** Where a sign-in stands; switch on `type`. */
export type Step = DoneStep | TotpCodeStep | MfaSetupStep | NewPasswordStep | SelectMfaStep | SmsCodeStep | EmailCodeStep;

export type MfaPreferenceValue = "preferred" | "enabled" | "disabled";
/** `setMfaPreference` input; an absent factor is left unchanged. */
export interface MfaPreference { totp: MfaPreferenceValue; sms?: MfaPreferenceValue; email?: MfaPreferenceValue; }

/** `getUser` result. */
export interface User {
  username: string;
  attributes: Record<string, string>;
  mfa: { enabled: MfaType[]; preferred?: MfaType };
}

/** How `qrSvg` draws the symbol. */
export interface SvgOptions {
  /** Error-correction level, default "M". */
  ecc?: "L" | "M" | "Q" | "H";
  /** Quiet zone in modules (at least 4). */
  border?: number;
  /** `#rgb`, `#rrggbb` or a CSS colour name; default black. */
  dark?: string;
  /** Default white. */
  light?: string;
  /** Accessible name (`<title>`), default "QR code". */
  title?: string;
}

/** Label of an otpauth URI. */
export interface TotpLabel { issuer: string; account: string; }
export interface OtpauthParams extends TotpLabel { secret: string; }

/** Every rejected promise / thrown error of this package. */
export interface CognitoTotpError extends Error {
  /**
   * Cognito's error type (`NotAuthorizedException`, `CodeMismatchException`,
   * `EnableSoftwareTokenMFAException`, `ExpiredCodeException`, `TooManyRequestsException`, ...) or a
   * local one: `InvalidParameterException` (bad input, nothing sent), `NetworkError`, `ProtocolError`.
   */
  name: string;
  /** Whether the same call may succeed later (throttling, 5xx, network). */
  retryable: boolean;
}

/** What `init` accepts: where to fetch the kernel's wasm from, or its bytes or compiled module. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;
export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * Loads the wasm kernel; await it once before using anything else. By default it fetches
 * `kernel_bg.wasm` next to this module. (In the `bundler` build the bundler loads the wasm and this
 * resolves at once.)
 */
export default function init(
  module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>,
): Promise<unknown>;

/** Instantiates the kernel from bytes or a compiled module, synchronously. */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): unknown;

/** Sign-in, MFA and TOTP enrollment against one Cognito app client. */
export class CognitoTotp {
  /**
   * Validates the configuration; throws `InvalidParameterException` on a malformed pool id,
   * a missing client id or a non-https endpoint.
   */
  constructor(config: CognitoTotpConfig);
  /** The Cognito endpoint requests go to. */
  readonly endpoint: string;
  /** Wipes an unused prepared SRP key now instead of when the garbage collector runs. */
  free(): void;
  [Symbol.dispose](): void;
  /**
   * Computes the next sign-in's SRP key pair now (fresh random `a`, A = g^a), so `signIn` only
   * pays for the password proof. Call it when the sign-in form appears; the key serves one
   * sign-in only, and calling again replaces an unused one.
   */
  prepare(): void;
  /** USER_SRP_AUTH. The password never leaves the page; only the SRP proof is sent. */
  signIn(username: string, password: string): Promise<Step>;
  /** Answers a `totpCode` step. */
  confirmTotp(step: TotpCodeStep, code: string): Promise<Step>;
  /** Answers an `smsCode` or `emailCode` step. */
  confirmCode(step: SmsCodeStep | EmailCodeStep, code: string): Promise<Step>;
  /** Answers a `selectMfa` step with one of `step.options`. */
  selectMfa(step: SelectMfaStep, mfa: MfaType): Promise<Step>;
  /** Answers a `newPassword` step; `attributes` supplies `step.requiredAttributes`. */
  completeNewPassword(step: NewPasswordStep, newPassword: string, attributes?: Record<string, string>): Promise<Step>;
  /** AssociateSoftwareToken with an `mfaSetup` step (sign-in Session) or an access token. */
  associateTotp(stepOrAccessToken: MfaSetupStep | string): Promise<TotpSetup>;
  /**
   * VerifySoftwareToken. For a sign-in setup it resolves to the next step; for an
   * access-token setup to `undefined` (then call `setMfaPreference`).
   */
  verifyTotp(setup: TotpSetup, code: string, friendlyDeviceName?: string | null): Promise<Step | undefined>;
  /** SetUserMFAPreference, e.g. `{ totp: "preferred" }`. */
  setMfaPreference(accessToken: string, preference: MfaPreference): Promise<void>;
  /** GetUser. */
  getUser(accessToken: string): Promise<User>;
  /** Re-checks the password with SRP, then turns TOTP off. */
  disableTotp(username: string, password: string, accessToken: string): Promise<void>;
  /** REFRESH_TOKEN_AUTH. `username` is needed only with a client secret. */
  refresh(refreshToken: string, username?: string | null): Promise<Tokens>;
  /** GlobalSignOut. */
  globalSignOut(accessToken: string): Promise<void>;
  /** RevokeToken (a refresh token). */
  revokeToken(refreshToken: string): Promise<void>;
}

/** A software token waiting for its first code. */
export class TotpSetup {
  private constructor();
  /** Forgets the secret and the Session or access token behind this setup. */
  free(): void;
  [Symbol.dispose](): void;
  /** The base32 shared secret, for manual entry. */
  readonly secret: string;
  /** The `otpauth://totp/...` URI for authenticator apps. */
  uri(label: TotpLabel): string;
  /** The URI as an SVG QR code: `{ issuer, account, ...SvgOptions }`. */
  qrSvg(options: TotpLabel & SvgOptions): string;
}

/** Renders `text` as a standalone SVG QR code. */
export function qrSvg(text: string, options?: SvgOptions): string;

/** `otpauth://totp/{issuer}:{account}?secret=…&issuer=…`, percent-encoded. */
export function otpauthUri(params: OtpauthParams): string;

/** RFC 6238 code (SHA-1, 6 digits, 30 s) for `unixSeconds` (default: now). */
export function totpCode(secret: string, unixSeconds?: number | null): string;
