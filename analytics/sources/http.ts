import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP } from "node:net";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { AppError } from "../errors.ts";

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

/** Whether an address is loopback, private, link-local or otherwise not the public internet. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return PRIVATE.check(address, "ipv4");
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return PRIVATE.check(mapped[1]!, "ipv4");
    return PRIVATE.check(address, "ipv6");
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

function decoded(response: IncomingMessage): NodeJS.ReadableStream {
  switch ((response.headers["content-encoding"] ?? "").toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return response.pipe(createGunzip());
    case "deflate":
      return response.pipe(createInflate());
    case "br":
      return response.pipe(createBrotliDecompress());
    default:
      return response;
  }
}

function once(url: URL, options: SafeFetchOptions, deadline: number): Promise<FetchedResponse> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) && isPrivateAddress(host) && !options.allowPrivate)
    return Promise.reject(refused(host, host));
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const remaining = Math.max(1, deadline - Date.now());
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
        const chunks: Buffer[] = [];
        let size = 0;
        const body = decoded(response);
        body.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy(
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
        body.on("error", reject);
        body.on("end", () => {
          const headers: Record<string, string> = {};
          for (const [key, value] of Object.entries(response.headers)) {
            if (value !== undefined) headers[key] = Array.isArray(value) ? value.join(", ") : value;
          }
          resolve({ status: response.statusCode ?? 0, headers, body: Buffer.concat(chunks), url: url.href });
        });
      },
    );
    const timer = setTimeout(
      () =>
        req.destroy(
          new AppError(
            "unsupported",
            `${url.host} did not answer within ${Math.round((options.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000)} s`,
          ),
        ),
      remaining,
    );
    req.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.on("close", () => clearTimeout(timer));
    req.on("timeout", () =>
      req.destroy(
        new AppError("unsupported", `${url.host} did not answer within ${Math.round(remaining / 1000)} s`),
      ),
    );
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
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
