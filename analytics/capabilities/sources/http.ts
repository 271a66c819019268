import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP } from "node:net";
import { pipeline, type Readable, type Transform } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { AppError } from "../../platform/base/errors.ts";

/**
 * Fetching a URL a person configured, from the server: the address is checked
 * after DNS resolution (so a name that resolves to 127.0.0.1 or 169.254.169.254
 * is refused too), redirects are followed by hand and checked again, and the
 * time and size of a response are capped.
 */

export interface SafeFetchOptions {
  /** Loopback, private and link-local addresses: refused unless LIFT_SOURCES_ALLOW_PRIVATE=true. */
  allowPrivate: boolean;
  userAgent: string;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  headers?: Record<string, string>;
  method?: "GET" | "POST";
  body?: string;
}

export interface FetchedResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: Buffer;
  /** The URL after redirects. */
  url: string;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

// Special-purpose ranges (IANA IPv4/IPv6 Special-Purpose Address Registries, RFC 6890): none of them
// is a public web server's address.
const PRIVATE = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  PRIVATE.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
  ["2001:db8::", 32],
] as const)
  PRIVATE.addSubnet(network, prefix, "ipv6");

/** The 16 bytes of an IPv6 address (as isIP accepts it), or null. */
function ipv6Bytes(address: string): number[] | null {
  let text = address.split("%")[0] ?? "";
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    tail.push(...dotted[1]!.split(".").map(Number));
    text = `${text.slice(0, -dotted[1]!.length)}0:0`;
  }
  const [head = "", rest] = text.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":").map((g) => Number.parseInt(g, 16)));
  const left = groups(head);
  const right = rest === undefined ? [] : groups(rest);
  const fill = rest === undefined ? 0 : 8 - left.length - right.length;
  const all = [...left, ...Array<number>(Math.max(0, fill)).fill(0), ...right];
  if (all.length !== 8 || all.some((g) => !Number.isFinite(g))) return null;
  const bytes = all.flatMap((g) => [g >> 8, g & 0xff]);
  if (tail.length === 4) bytes.splice(12, 4, ...tail);
  return bytes;
}

/**
 * The IPv4 address an IPv6 address carries, in the forms that reach an IPv4 host: mapped
 * (::ffff:0:0/96), SIIT-translated (::ffff:0:0:0/96), IPv4-compatible (::/96, deprecated by RFC
 * 4291), NAT64 (64:ff9b::/96 of RFC 6052 and the local-use 64:ff9b:1::/48 of RFC 8215), 6to4
 * (2002::/16, RFC 3056) and Teredo (2001::/32, RFC 4380: the client's address inverted).
 */
function embeddedIpv4(bytes: number[]): string | null {
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const v4 = (at: number, invert = false) =>
    bytes
      .slice(at, at + 4)
      .map((b) => (invert ? b ^ 0xff : b))
      .join(".");
  if (zeros(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return v4(12);
  if (zeros(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zeros(10, 12)) return v4(12);
  if (zeros(0, 12)) return v4(12);
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b) {
    if (zeros(4, 12)) return v4(12);
    if (bytes[4] === 0x00 && bytes[5] === 0x01) return v4(12);
  }
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return v4(2);
  if (bytes[0] === 0x20 && bytes[1] === 0x01 && bytes[2] === 0x00 && bytes[3] === 0x00) return v4(12, true);
  return null;
}

/** Whether an address is loopback, private, link-local or otherwise not the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, "ipv4");
  if (family === 6) {
    if (PRIVATE.check(address, "ipv6")) return true;
    const bytes = ipv6Bytes(address);
    if (!bytes) return true;
    const v4 = embeddedIpv4(bytes);
    // :: and ::1 are caught above; an embedded IPv4 address is judged as itself.
    return v4 !== null && PRIVATE.check(v4, "ipv4");
  }
  return true;
}

function refused(host: string, address: string): AppError {
  return new AppError(
    "invalid_input",
    `${host} resolves to ${address}, a private or loopback address: Lift does not fetch those`,
    { hint: "use a public URL, or set LIFT_SOURCES_ALLOW_PRIVATE=true for sources on your own network" },
  );
}

function checkedLookup(allowPrivate: boolean) {
  return (
    hostname: string,
    options: object,
    callback: (error: Error | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    dnsLookup(hostname, { ...(options as object), all: true }, (error, addresses) => {
      if (error) return callback(error, []);
      const list = addresses as LookupAddress[];
      const bad = list.find((a) => isPrivateAddress(a.address));
      if (bad && !allowPrivate) return callback(refused(hostname, bad.address), []);
      if ((options as { all?: boolean }).all) return callback(null, list);
      const first = list[0];
      if (!first) return callback(new Error(`no address for ${hostname}`), []);
      callback(null, first.address, first.family);
    });
  };
}

/** The decoder a response's Content-Encoding needs, or null for a body sent as is. */
function decoderFor(response: IncomingMessage): Transform | null {
  switch ((response.headers["content-encoding"] ?? "").toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return createGunzip();
    case "deflate":
      return createInflate();
    case "br":
      return createBrotliDecompress();
    default:
      return null;
  }
}

/**
 * One request. It settles exactly once: with the whole body, or with an error when the
 * connection drops before the body is complete (with or without a decoder in between), the
 * body passes the size cap (the decoder is stopped at once, so a small gzip bomb costs no
 * more than the cap), or the deadline passes — the timer runs until the request settles,
 * whatever the socket does.
 */
// Long on purpose: one guarded request (address check, redirects, decoding, caps, stall timer) settled in one place.
function once(url: URL, options: SafeFetchOptions, deadline: number): Promise<FetchedResponse> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && isPrivateAddress(host) && !options.allowPrivate)
    return Promise.reject(refused(host, host));
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const remaining = Math.max(1, deadline - Date.now());
    let settled = false;
    const streams: { destroy(): unknown }[] = [];
    const fail = (error: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      for (const stream of streams) stream.destroy();
      reject(error);
    };
    const timedOut = () =>
      new AppError(
        "unsupported",
        `${url.host} did not answer within ${Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s`,
      );
    const cutOff = () =>
      new AppError("unsupported", `${url.host} closed the connection before the whole response arrived`, {
        hint: "the next pull tries again",
      });
    const req = request(
      url,
      {
        method: options.method ?? "GET",
        headers: {
          "user-agent": options.userAgent,
          accept: "*/*",
          "accept-encoding": "gzip, deflate, br",
          ...(options.headers ?? {}),
        },
        lookup: checkedLookup(options.allowPrivate) as never,
        timeout: remaining,
      },
      (response) => {
        streams.push(response);
        const chunks: Buffer[] = [];
        let size = 0;
        const decoder = decoderFor(response);
        const body: Readable = decoder ?? response;
        if (decoder) {
          streams.push(decoder);
          // pipeline() hands the response's own failure (a dropped connection) to the decoder's side.
          pipeline(response, decoder, (error) => {
            if (error) fail(settledError(error, cutOff));
          });
        }
        response.on("close", () => {
          if (!response.complete) fail(cutOff());
        });
        response.on("error", (error) => fail(settledError(error, cutOff)));
        body.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            fail(
              new AppError(
                "payload_too_large",
                `${url.host} sent more than ${Math.round(maxBytes / 1024)} KB`,
                {
                  hint: "point the source at a smaller feed or page",
                },
              ),
            );
            return;
          }
          chunks.push(chunk);
        });
        body.on("error", (error) => fail(settledError(error, cutOff)));
        body.on("end", () => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          const headers: Record<string, string> = {};
          for (const [key, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(", ") : value;
          }
          resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks), url: url.href });
        });
      },
    );
    streams.push(req);
    const timer = setTimeout(() => fail(timedOut()), remaining);
    req.on("error", (error) => fail(error));
    req.on("timeout", () => fail(timedOut()));
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

/** A stream's low-level error (ECONNRESET, "aborted", a truncated gzip) said as what happened. */
function settledError(error: Error, cutOff: () => AppError): Error {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException).code ?? "";
  if (
    code === "ECONNRESET" ||
    code === "ERR_STREAM_PREMATURE_CLOSE" ||
    code === "Z_BUF_ERROR" ||
    error.message === "aborted" ||
    /unexpected end of file/i.test(error.message)
  )
    return cutOff();
  return error;
}

/** GET (or POST) a URL under the limits above; 3xx are followed up to `maxRedirects`, each checked. */
export async function safeFetch(target: string, options: SafeFetchOptions): Promise<FetchedResponse> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw new AppError("invalid_input", `“${target}” is not a URL`, {
      hint: "give a full http(s):// address",
    });
  }
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  for (let hop = 0; ; hop++) {
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new AppError("invalid_input", `Lift fetches http and https URLs, not ${url.protocol}`);
    }
    const response = await once(url, options, deadline);
    const location = response.headers["location"];
    if (response.status >= 300 && response.status < 400 && location) {
      if (hop >= maxRedirects)
        throw new AppError("unsupported", `${target} redirects more than ${maxRedirects} times`);
      url = new URL(location, url);
      continue;
    }
    return response;
  }
}
