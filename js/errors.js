// The one error shape of the package: a real `Error` whose `name` is Cognito's error type or one of
// the local names, plus `retryable`, the shape apps already check with amazon-cognito-identity-js.

/**
 * @param {string} name
 * @param {string} message
 * @param {boolean} [retryable]
 * @returns {Error & { retryable: boolean }}
 */
export const fail = (name, message, retryable = false) =>
  Object.assign(new Error(message), { name, retryable });

/** Bad input caught locally, before any request. @param {string} message */
export const invalid = (message) => fail('InvalidParameterException', message);

/**
 * A response the protocol does not allow (HTML, truncated JSON, missing members, a refused SRP value).
 * @param {string} message
 */
export const protocol = (message) => fail('ProtocolError', message);
