// Human wording for every error the library can throw. The library gives each error a `name` (the Cognito
// `__type`, or NetworkError / ProtocolError) and a `retryable` flag; the page never shows a bare stack or nothing.

const MESSAGES = {
  NotAuthorizedException: "That username and password don't match. Check them and try again.",
  CodeMismatchException: "That code isn't right. Enter the code your authenticator app shows now.",
  EnableSoftwareTokenMFAException:
    "That code didn't match. Check that your phone's clock is set automatically, then enter the newest code.",
  ExpiredCodeException: "That code has expired or was already used. Wait for the next code and try again.",
  TooManyRequestsException: "Too many requests right now. Wait a moment and try again.",
  LimitExceededException: "Too many attempts. Wait a few minutes before trying again.",
  TooManyFailedAttemptsException: "Too many failed attempts. Wait a few minutes before trying again.",
  UserNotFoundException: "We couldn't find an account with that username.",
  InvalidPasswordException: "That password doesn't meet the pool's password rules.",
  PasswordResetRequiredException: "Your password has to be reset before you can sign in. Contact your administrator.",
  UserNotConfirmedException: "This account hasn't been confirmed yet. Confirm it, then sign in.",
  SoftwareTokenMFANotFoundException: "Authenticator apps are not enabled for this user pool.",
  InvalidParameterException: "Some of the details sent were not accepted.",
  ResourceNotFoundException: "This app isn't set up correctly: the user pool or app client was not found.",
  InvalidUserPoolConfigurationException: "The user pool isn't configured for this kind of sign-in.",
  CodeDeliveryFailureException: "We couldn't send you a code. Try again later.",
  InternalErrorException: "The sign-in service had a problem. Try again in a moment.",
  NetworkError: "Can't reach the sign-in service. Check your connection and try again.",
  ProtocolError: "The sign-in service sent a response this page didn't understand. Try again later.",
};

// Errors whose server text adds something the user can act on (which rule failed, which parameter).
const APPEND_DETAIL = new Set(["InvalidPasswordException", "InvalidParameterException"]);

/** @returns {{ name: string, text: string, sessionEnded: boolean }} */
export function describeError(err) {
  const name = typeof err?.name === "string" && err.name !== "" ? err.name : "Error";
  const detail = typeof err?.message === "string" ? err.message : String(err);

  // Cognito reuses NotAuthorizedException for expired challenge sessions and revoked tokens; the generic
  // "wrong password" wording would mislead there, so those cases get their own text.
  if (name === "NotAuthorizedException" && /session/i.test(detail) && /expired|invalid/i.test(detail)) {
    return { name, text: "This sign-in took too long and its session expired. Please sign in again.", sessionEnded: true };
  }
  if (name === "NotAuthorizedException" && /token/i.test(detail)) {
    return { name, text: "You have been signed out (your access token is no longer valid). Please sign in again.", sessionEnded: true };
  }

  const known = Object.prototype.hasOwnProperty.call(MESSAGES, name) ? MESSAGES[name] : null;
  if (known === null) {
    // Catch-all: say exactly what happened rather than hiding it.
    const retry = err?.retryable === true ? " You can try again." : "";
    return { name, text: `Something went wrong (${name}): ${detail}${retry}`, sessionEnded: false };
  }
  const text = APPEND_DETAIL.has(name) && detail !== "" ? `${known} ${detail}` : known;
  return { name, text, sessionEnded: false };
}

/** Labels for the library's MFA factor names (`MfaType`). */
export const FACTOR_LABELS = {
  TOTP: "Authenticator app",
  SMS: "Text message (SMS)",
  EMAIL: "Email",
};
