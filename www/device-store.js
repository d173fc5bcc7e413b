// Where the demo keeps a remembered device: IndexedDB, one record per pool and username, holding what
// `Device.toRecord()` gives ({ key, groupKey, password }). The password is a secret (with the user's password it
// signs in without MFA), so it is kept only when the user ticks "Remember this browser", and deleted when the
// device is forgotten, when Cognito no longer knows it, or when the user signs out with "forget this browser".
// The library itself stores nothing.
const DB = "cognito-totp-demo";
const STORE = "devices";

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function run(mode, action) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = action(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

const id = (poolId, username) => `${poolId}/${username}`;

/** The stored record for this user, or undefined. */
export async function loadDevice(poolId, username) {
  try {
    // Reading must not create the database: a browser nobody ticked "Remember" in keeps no trace.
    if (typeof indexedDB.databases === "function" && !(await indexedDB.databases()).some((d) => d.name === DB)) {
      return undefined;
    }
    const record = await run("readonly", (store) => store.get(id(poolId, username)));
    const valid = record && ["key", "groupKey", "password"].every((k) => typeof record[k] === "string");
    return valid ? record : undefined;
  } catch {
    return undefined; // no IndexedDB (private mode in some browsers): nothing remembered
  }
}

export async function saveDevice(poolId, username, record) {
  await run("readwrite", (store) => store.put(record, id(poolId, username)));
}

export async function dropDevice(poolId, username) {
  try {
    await run("readwrite", (store) => store.delete(id(poolId, username)));
  } catch {
    // nothing stored, nothing to drop
  }
}
