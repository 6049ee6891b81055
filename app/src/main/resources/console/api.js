// The admin API over gRPC-Web with JSON bodies (application/grpc-web+json) on the origin that
// served the page: no generated code, no second API. A message is a 5-byte frame (flag, length)
// and its JSON; the status comes in the headers or in a trailer frame (flag 0x80). The API key,
// when given, goes as `authorization: Bearer` on every call.

const STATUS_NAMES = {1: "CANCELLED", 2: "UNKNOWN", 3: "INVALID_ARGUMENT", 4: "DEADLINE_EXCEEDED",
  5: "NOT_FOUND", 6: "ALREADY_EXISTS", 7: "PERMISSION_DENIED", 8: "RESOURCE_EXHAUSTED",
  9: "FAILED_PRECONDITION", 13: "INTERNAL", 14: "UNAVAILABLE", 16: "UNAUTHENTICATED"};

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

/** Reads the frames of a response as they arrive, giving each message to onMessage. */
async function frames(response, onMessage) {
  let status = response.headers.get("grpc-status");
  let detail = response.headers.get("grpc-message");
  const reader = response.body.getReader();
  let pending = new Uint8Array(0);
  for (;;) {
    const {done, value} = await reader.read();
    if (done) break;
    const joined = new Uint8Array(pending.length + value.length);
    joined.set(pending);
    joined.set(value, pending.length);
    let at = 0;
    while (at + 5 <= joined.length) {
      const length = new DataView(joined.buffer, at + 1, 4).getUint32(0);
      if (at + 5 + length > joined.length) break;
      const payload = new TextDecoder().decode(joined.subarray(at + 5, at + 5 + length));
      if (joined[at] & 0x80) {
        for (const line of payload.split("\r\n")) {
          const colon = line.indexOf(":");
          const name = line.slice(0, colon).toLowerCase();
          if (name === "grpc-status") status = line.slice(colon + 1).trim();
          if (name === "grpc-message") detail = line.slice(colon + 1).trim();
        }
      } else {
        onMessage(JSON.parse(payload));
      }
      at += 5 + length;
    }
    pending = joined.slice(at);
  }
  if (status === null && !response.ok) {
    throw new CallError(14, `the server answered HTTP ${response.status}`);
  }
  if (status !== null && status !== "0") {
    throw new CallError(Number(status), decodeURIComponent(detail || "") || "no message");
  }
}

/** Calls a unary method of `service` (AdminService unless named); resolves with the response. */
export async function call(method, message, service = "starling.admin.AdminService") {
  const response = await request(service, method, message);
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
