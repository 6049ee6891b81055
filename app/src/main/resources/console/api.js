// The admin API over gRPC-Web with JSON bodies (application/grpc-web+json) on the origin that
// served the page: no generated code, no second API. A message is a 5-byte frame (flag, length)
// and its JSON; the status comes in the headers or in a trailer frame (flag 0x80). The API key,
// when given, goes as `authorization: Bearer` on every call.

const STATUS_NAMES = {1: "CANCELLED", 2: "UNKNOWN", 3: "INVALID_ARGUMENT", 4: "DEADLINE_EXCEEDED",
  5: "NOT_FOUND", 6: "ALREADY_EXISTS", 7: "PERMISSION_DENIED", 8: "RESOURCE_EXHAUSTED",
  9: "FAILED_PRECONDITION", 10: "ABORTED", 11: "OUT_OF_RANGE", 12: "UNIMPLEMENTED", 13: "INTERNAL",
  14: "UNAVAILABLE", 15: "DATA_LOSS", 16: "UNAUTHENTICATED"};

/** An error of a call: a gRPC status (a number) and its message. */
export class CallError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
    this.statusName = STATUS_NAMES[status] || "status " + status;
  }
}

const KEY = "starling-api-key";

export function apiKey() {
  return sessionStorage.getItem(KEY) || "";
}

export function setApiKey(key) {
  sessionStorage.setItem(KEY, key);
}

/** The signal of the page shown: leaving it aborts the calls it made. */
let pageSignal = null;

export function forPage(signal) {
  pageSignal = signal;
}

function request(service, method, message, signal) {
  const body = new TextEncoder().encode(JSON.stringify(message));
  const frame = new Uint8Array(5 + body.length);
  new DataView(frame.buffer).setUint32(1, body.length);
  frame.set(body, 5);
  const headers = {"content-type": "application/grpc-web+json", "x-grpc-web": "1"};
  if (apiKey()) {
    headers.authorization = "Bearer " + apiKey();
  }
  return fetch(`/${service}/${method}`, {method: "POST", headers, body: frame, signal})
      .catch(error => {
        if (error.name === "AbortError") throw error;
        throw new CallError(14, "the server does not answer: it stopped, or the network to it"
            + " is down (the page retries)");
      });
}

/**
 * The bytes of a response as they arrive, kept as a list of chunks and joined only when a
 * whole frame is there: a message of megabytes comes in hundreds of chunks.
 */
class Chunks {
  constructor() {
    this.list = [];
    this.size = 0;
  }

  add(chunk) {
    this.list.push(chunk);
    this.size += chunk.length;
  }

  /** The first `n` bytes, taken out; null while fewer have arrived. */
  take(n) {
    if (this.size < n) return null;
    const taken = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const chunk = this.list[0];
      const part = Math.min(chunk.length, n - at);
      taken.set(chunk.subarray(0, part), at);
      at += part;
      if (part === chunk.length) this.list.shift(); else this.list[0] = chunk.subarray(part);
    }
    this.size -= n;
    return taken;
  }
}

function decoded(detail) {
  try {
    return decodeURIComponent(detail);
  } catch (malformed) {
    return detail;
  }
}

/** Reads the frames of a response as they arrive, giving each message to onMessage. */
async function frames(response, onMessage) {
  let status = response.headers.get("grpc-status");
  let detail = response.headers.get("grpc-message");
  const reader = response.body.getReader();
  const chunks = new Chunks();
  let header = null;
  for (;;) {
    const {done, value} = await reader.read().catch(error => {
      if (error.name === "AbortError") throw error;
      throw new CallError(14, "the connection to the server broke: it stopped, or the network to"
          + " it is down (the page retries)");
    });
    if (done) break;
    chunks.add(value);
    for (;;) {
      header = header || chunks.take(5);
      const payload = header && chunks.take(new DataView(header.buffer).getUint32(1));
      if (!payload) break;
      const text = new TextDecoder().decode(payload);
      if (header[0] & 0x80) {
        for (const line of text.split("\r\n")) {
          const colon = line.indexOf(":");
          const name = line.slice(0, colon).toLowerCase();
          if (name === "grpc-status") status = line.slice(colon + 1).trim();
          if (name === "grpc-message") detail = line.slice(colon + 1).trim();
        }
      } else {
        onMessage(JSON.parse(text));
      }
      header = null;
    }
  }
  if (status === null) {
    throw new CallError(14, response.ok ? "the response ended without a status (a proxy between"
        + " the browser and the server may have cut it)" : `the server answered HTTP ${response.status}`);
  }
  if (status !== "0") {
    throw new CallError(Number(status), decoded(detail || "") || "no message");
  }
}

/** Calls a unary method of `service` (AdminService unless named); resolves with the response. */
export async function call(method, message, service = "starling.admin.AdminService") {
  const response = await request(service, method, message, pageSignal);
  let answer = {};
  await frames(response, received => { answer = received; });
  return answer;
}

/**
 * Follows WatchExecution: onEvent gets each ExecutionEvent as it comes. Resolves when the
 * stream completes (the execution ended); rejects with a CallError; stops when signal aborts.
 */
export async function watch(id, onEvent, signal) {
  const response = await request("starling.admin.AdminService", "WatchExecution", {id}, signal);
  await frames(response, onEvent);
}
