// One Cognito JSON 1.1 call: fetch with a timeout, the retry policy, and turning whatever came back
// into the parsed body or the package's error.
import { fail, protocol } from './errors.js';

/** At most this many tries per operation. */
const MAX_ATTEMPTS = 3;
/** Browsers keep timer delays as signed 32-bit integers and fire at once on overflow, which would turn
 * a generous `timeoutMs` into an instant timeout. */
const MAX_TIMER_MS = 2 ** 31 - 1;
const RETRYABLE_TYPES = ['TooManyRequestsException', 'InternalErrorException', 'ThrottlingException'];

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * "Equal jitter" backoff before retry number `retry` (0-based): half of 100 ms · 2^retry fixed, half
 * random, so clients throttled together do not retry in lock-step yet never retry at once.
 * @param {number} retry
 */
const backoff = (retry) => {
  const half = 50 * 2 ** retry;
  return half + Math.floor(Math.random() * (half + 1));
};

/** Says what kind of body came back without echoing it (it could hold tokens). @param {string} body */
const describe = (body) => {
  const t = body.trim();
  return !t ? 'empty body' : t[0] == '<' ? 'HTML body' : t[0] == '{' ? 'malformed or incomplete JSON' : 'not JSON';
};

/** A JSON object, or undefined. @param {string} text @returns {Record<string, any> | undefined} */
export const parseObject = (text) => {
  try {
    const v = JSON.parse(text);
    if (v && typeof v == 'object' && !Array.isArray(v)) return v;
  } catch {}
};

/** `com.amazonaws...#NotAuthorizedException:http://...` → `NotAuthorizedException`. @param {unknown} raw */
const errorType = (raw) => typeof raw == 'string' ? raw.split('#').pop()?.split(':')[0].trim() : undefined;

/** @param {unknown} m */
const nonBlank = (m) => typeof m == 'string' && m.trim() ? m : undefined;

/**
 * A non-2xx answer as the package's error: Cognito's type (body `__type`, else the header) with its
 * message, or a ProtocolError when neither names one.
 * @param {string} op @param {number} status @param {string | null} header @param {string} body
 */
const serviceError = (op, status, header, body) => {
  const parsed = parseObject(body);
  const name = errorType(parsed?.__type) || errorType(header);
  // A gateway's 5xx page is as transient as Cognito's own 5xx: the same call may pass later.
  if (!name) return fail('ProtocolError', `${op}: HTTP ${status} without a Cognito error type (${describe(body)})`, status >= 500);
  // A blank `message` must not win over `Message`, nor leave an Error without text.
  const message = nonBlank(parsed?.message) ?? nonBlank(parsed?.Message) ?? `${op} failed with HTTP ${status}`;
  return fail(name, message, status >= 500 || RETRYABLE_TYPES.includes(name));
};

/**
 * POSTs one operation with the retry policy (throttling, 5xx and network failures are tried again, up
 * to 3 tries in all; nothing else is) and returns the parsed 2xx body.
 * @param {string} endpoint
 * @param {number | undefined} timeoutMs
 * @param {string} op  e.g. `InitiateAuth`
 * @param {object} request  the body, as an object
 * @param {boolean} [allowEmpty]  the operation's output has no members, so an empty body is fine
 * @returns {Promise<Record<string, any>>}
 */
export async function call(endpoint, timeoutMs, op, request, allowEmpty) {
  const init = {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSCognitoIdentityProviderService.${op}`,
      'X-Amz-User-Agent': 'cognito-totp/__VERSION__',
    },
    body: JSON.stringify(request),
    // Cognito needs neither cookies nor the HTTP cache, and tokens must end up in neither.
    credentials: /** @type {RequestCredentials} */ ('omit'),
    cache: /** @type {RequestCache} */ ('no-store'),
  };
  for (let attempt = 1; ; attempt++) {
    const controller = timeoutMs ? new AbortController() : undefined;
    // The timer covers reading the body too.
    const timer = controller && setTimeout(() => controller.abort(), Math.min(timeoutMs ?? 0, MAX_TIMER_MS));
    let error;
    try {
      const response = await fetch(endpoint, { ...init, signal: controller?.signal });
      const body = await response.text();
      const { status } = response;
      if (status >= 200 && status < 300) {
        const parsed = allowEmpty && !body.trim() ? {} : parseObject(body);
        if (!parsed) throw protocol(`${op}: the response is not the expected JSON (${describe(body)})`);
        return parsed;
      }
      error = serviceError(op, status, response.headers.get('x-amzn-ErrorType'), body);
      if (status < 500 && error.name != 'TooManyRequestsException') throw error;
    } catch (e) {
      if (e === error || /** @type {Error} */ (e).name == 'ProtocolError') throw e;
      error = controller?.signal.aborted
        ? fail('NetworkError', `${op}: the request timed out after ${timeoutMs} ms`, true)
        : fail('NetworkError', `${op}: ${e instanceof Error ? `${e.name}: ${e.message}` : 'fetch failed'}`, true);
    } finally {
      clearTimeout(timer);
    }
    if (attempt >= MAX_ATTEMPTS) throw error;
    await sleep(backoff(attempt - 1));
  }
}
