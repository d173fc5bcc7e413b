//! The TypeScript of the values built through serde-wasm-bindgen (wasm-bindgen would type them `any`): the
//! exported functions name these types with `unchecked_param_type` / `unchecked_return_type`, and
//! tests/typescript checks the generated `.d.ts` with `tsc --strict`.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &'static str = r#"
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
  /** The public fields as a plain object (the Session never leaves wasm). */
  toJSON(): object;
  /**
   * After `signIn(u, p, { device })`: Cognito did not know the device (`ResourceNotFoundException`,
   * "Device does not exist."). The sign-in went on as from a new device; drop the stored device.
   */
  readonly deviceError?: CognitoTotpError;
}
/** A device Cognito has just met; `rememberDevice(step)` confirms it. Identifiers, not secrets. */
export interface NewDevice { key: string; groupKey: string; }
export interface DoneStep extends StepBase {
  readonly type: "done";
  readonly tokens: Tokens;
  /** The pool tracks devices and this one is new: `rememberDevice(step, { name })`. */
  readonly newDevice?: NewDevice;
}
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

/** `signIn` options. */
export interface SignInOptions {
  /** A remembered device: the `Device` `rememberDevice` gave, or its `toRecord()`. */
  device?: Device | DeviceRecord;
}
/** A device with its secret, as `Device.toRecord()` gives it: store it like a refresh token. */
export interface DeviceRecord { key: string; groupKey: string; password: string; }
export interface RememberDeviceOptions {
  /** ConfirmDevice's DeviceName (what `listDevices` shows), e.g. "Firefox on Linux". */
  name?: string;
  /** Whether Cognito remembers the device (suppressing MFA on it where the pool says so); default true. */
  remember?: boolean;
}
export interface ListDevicesOptions {
  /** 1 to 60. */
  limit?: number;
  paginationToken?: string;
}
/** One of the user's devices. Dates in milliseconds since the epoch (`new Date(ms)`). */
export interface DeviceInfo {
  key: string;
  /** The `device_name` attribute. */
  name?: string;
  /** From `dev:device_remembered_status`, when Cognito says. */
  remembered?: boolean;
  attributes: Record<string, string>;
  createdAt?: number;
  lastModifiedAt?: number;
  lastAuthenticatedAt?: number;
}
export interface DevicePage { devices: DeviceInfo[]; paginationToken?: string; }

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
"#;
