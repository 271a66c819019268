import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createSecretKey,
  type KeyObject,
  randomBytes,
} from "node:crypto";

/*
 * Personal values encrypted at rest: AES-256-GCM with a random 96-bit IV per value and the key's
 * id in the text (`enc1:<key id>:<base64url of iv · ciphertext · tag>`), so a value sealed under
 * an older key is still read while a rotation re-seals it, and a changed byte fails loudly.
 * Equality lookups (a customer by email) go through a blind index: HMAC-SHA256 under the hash
 * key, the same keyed hash the suppression and erasure lists keep.
 */

export const SEALED = "enc1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;
/**
 * IVs are drawn from the CSPRNG 4,096 at a time: each value still gets its own random 96-bit IV,
 * but one `randomBytes` call costs as much as the encryption itself, so it is made in bulk.
 */
const POOL_IVS = 4096;
let pool = Buffer.alloc(0);
let poolAt = 0;

function randomIv(): Buffer {
  if (poolAt + IV_BYTES > pool.length) {
    pool = randomBytes(IV_BYTES * POOL_IVS);
    poolAt = 0;
  }
  const iv = pool.subarray(poolAt, poolAt + IV_BYTES);
  poolAt += IV_BYTES;
  return iv;
}

/** Keys that hold something personal wherever they are (an email, a phone, an ip, an address). */
const PERSONAL_ANYWHERE =
  "e_?mail|email_?address|first_?name|last_?name|full_?name|phone|phone_?number|mobile|address|address_?line_?[12]|street|postal_?code|zip|ip|birthday|birth_?date|date_?of_?birth|dob";
/** Keys personal only in a person's traits (a product's or a campaign's `name` is not). */
const PERSONAL_IN_TRAITS =
  "name|display_?name|notes?|comment|twitter|x|instagram|tiktok|mastodon|bluesky|threads|handle|social_?handle|twitter_?handle|username";

/** Whether a customer's trait of this name is personal (sealed with their email). */
export function personalTrait(key: string): boolean {
  return ANYWHERE.test(key) || IN_TRAITS.test(key);
}

const ANYWHERE = new RegExp(`^(${PERSONAL_ANYWHERE})$`, "i");
const IN_TRAITS = new RegExp(`^(${PERSONAL_IN_TRAITS})$`, "i");
/**
 * A quick test of JSON text: could it hold a personal value at all (most events do not)? A name
 * counts only inside traits, so a product's `name` does not cost a parse.
 */
const MAYBE_PERSONAL = new RegExp(`"(?:${PERSONAL_ANYWHERE}|traits)"\\s*:`, "i");
const MAYBE_PERSONAL_TRAITS = new RegExp(`"(?:${PERSONAL_ANYWHERE}|${PERSONAL_IN_TRAITS})"\\s*:`, "i");

/**
 * HMAC-SHA256 of an identifier as `kind:value` (an email trimmed and lower-cased) under the hash
 * key: the one keyed hash of blind indexes, the suppression list and the erasure list, so one
 * address is one hash in all three.
 */
export function keyedHash(key: Buffer, kind: string, value: string): string {
  const normal = kind === "email" ? value.trim().toLowerCase() : value;
  return createHmac("sha256", key).update(`${kind}:${normal}`).digest("hex");
}

/** JSON of an object with its keys in order: the same traits always give the same text. */
export function stableJson(value: Record<string, unknown>): string {
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = value[key];
  return JSON.stringify(sorted);
}

/** A key's id: the first 8 hex digits of its SHA-256 (says which key sealed a value, reveals nothing). */
export function keyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 8);
}

export class TamperedError extends Error {
  constructor(reason: string) {
    super(`A sealed value could not be opened: ${reason}`);
    this.name = "TamperedError";
  }
}

export class Sealer {
  #keyId = "";
  #current: Buffer = Buffer.alloc(0);
  #keys = new Map<string, Buffer>();
  /** Each key as a KeyObject and its id as bytes (the additional data), made once. */
  #prepared = new Map<string, { key: KeyObject; aad: Buffer }>();
  readonly #hashKey: Buffer;
  /** Reads the keys again when they may have changed (a rotation by another process); null when not. */
  readonly #reload: (() => Buffer[] | null) | undefined;
  #checked = Date.now();

  /**
   * `keys`: the first seals, every one opens (an older key stays until a rotation is done).
   * `reload`: where keys kept beside the database are read again, so a rotation run by another
   * process is followed (checked every few seconds, and whenever a value names a key not held).
   */
  constructor(
    keys: readonly Buffer[],
    hashKey: Buffer,
    reload?: () => Buffer[] | null,
    /** Seals nothing: the benchmarks' baseline only (what sealing costs is measured against it). */
    readonly off = false,
  ) {
    this.use(keys);
    this.#hashKey = hashKey;
    this.#reload = reload;
  }

  /** Takes a new set of keys (the first seals). */
  use(keys: readonly Buffer[]): void {
    if (keys.length === 0) throw new Error("a sealer needs a data key");
    for (const key of keys)
      if (key.length !== 32) throw new Error("a data key is 32 bytes (base64 of 32 random bytes)");
    this.#current = keys[0]!;
    this.#keyId = keyId(this.#current);
    this.#keys = new Map(keys.map((k) => [keyId(k), k]));
    this.#prepared = new Map(
      keys.map((k) => [keyId(k), { key: createSecretKey(k), aad: Buffer.from(keyId(k)) }]),
    );
  }

  /** The id of the key values are sealed with now. */
  get keyId(): string {
    return this.#keyId;
  }

  /** Every key held, the current first. */
  get keys(): Buffer[] {
    return [this.#current, ...[...this.#keys.values()].filter((k) => k !== this.#current)];
  }

  #refresh(): boolean {
    this.#checked = Date.now();
    const keys = this.#reload?.();
    if (!keys || keys.length === 0) return false;
    this.use(keys);
    return true;
  }

  get hashKey(): Buffer {
    return this.#hashKey;
  }

  seal(value: string): string {
    if (this.off || value.startsWith(SEALED)) return value;
    if (this.#reload && Date.now() - this.#checked > 5000) this.#refresh();
    const iv = randomIv();
    const cipher = createCipheriv("aes-256-gcm", this.#prepared.get(this.#keyId)!.key, iv);
    // The key id is authenticated too: a value moved under another id fails.
    cipher.setAAD(this.#prepared.get(this.#keyId)!.aad);
    const body = Buffer.concat([iv, cipher.update(value, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `${SEALED}${this.keyId}:${body.toString("base64url")}`;
  }

  sealNullable(value: string | null | undefined): string | null {
    return value === null || value === undefined || value === "" ? (value ?? null) : this.seal(value);
  }

  /** The plain value; a value never sealed (written before sealing) as it is. Throws when tampered with. */
  open(value: string): string {
    if (!value.startsWith(SEALED)) return value;
    const id = value.slice(SEALED.length, SEALED.length + 8);
    const key = this.#prepared.get(id) ?? (this.#refresh() ? this.#prepared.get(id) : undefined);
    if (!key)
      throw new TamperedError(`it was sealed under key ${id}, which this Lift does not have (LIFT_DATA_KEY)`);
    const body = Buffer.from(value.slice(SEALED.length + 9), "base64url");
    if (body.length < IV_BYTES + TAG_BYTES) throw new TamperedError("it is cut short");
    try {
      const decipher = createDecipheriv("aes-256-gcm", key.key, body.subarray(0, IV_BYTES));
      decipher.setAAD(key.aad);
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(body.subarray(IV_BYTES, body.length - TAG_BYTES)),
        decipher.final(),
      ]).toString("utf8");
    } catch {
      throw new TamperedError("its authentication tag does not match (changed, or damaged)");
    }
  }

  openNullable(value: string | null | undefined): string | null {
    return value === null || value === undefined ? null : this.open(value);
  }

  /** Whether a value is sealed under the current key (a rotation re-seals the others). */
  current(value: string): boolean {
    return value.startsWith(`${SEALED}${this.keyId}:`);
  }

  /** A value sealed again under the current key (opened with whichever key sealed it). */
  reseal(value: string): string {
    return this.current(value) ? value : this.seal(this.open(value));
  }

  /** JSON text with every sealed value in it sealed again under the current key. */
  resealJsonText(text: string): string {
    if (!text.includes(SEALED)) return text;
    const walk = (value: unknown): unknown => {
      if (typeof value === "string") return value.startsWith(SEALED) ? this.reseal(value) : value;
      if (Array.isArray(value)) return value.map(walk);
      if (value && typeof value === "object")
        return Object.fromEntries(
          Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, walk(v)]),
        );
      return value;
    };
    return JSON.stringify(walk(JSON.parse(text)));
  }

  /** The blind index of an email: its keyed hash, the form the suppression and erasure lists keep. */
  blind(kind: "email", value: string): string {
    return keyedHash(this.#hashKey, kind, value);
  }

  /**
   * A JSON value with the values of its personal keys sealed, at any depth: an email, a phone,
   * an ip anywhere; a name or a handle in a person's traits (`traits: true` for a customer's own,
   * and under any `traits` key, as Segment's context carries them).
   */
  sealDeep(value: unknown, traits = false): unknown {
    if (Array.isArray(value)) return value.map((v) => this.sealDeep(v, traits));
    if (value && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
        const personal = ANYWHERE.test(key) || (traits && IN_TRAITS.test(key));
        if (personal && (typeof v === "string" || typeof v === "number") && v !== "")
          out[key] = this.seal(String(v));
        else out[key] = this.sealDeep(v, traits || key === "traits");
      }
      return out;
    }
    return value;
  }

  /** A JSON value with every sealed string opened, at any depth. */
  openDeep(value: unknown): unknown {
    if (typeof value === "string") return this.open(value);
    if (Array.isArray(value)) return value.map((v) => this.openDeep(v));
    if (value && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, v] of Object.entries(value as Record<string, unknown>)) out[key] = this.openDeep(v);
      return out;
    }
    return value;
  }

  /** JSON text with its personal values sealed; the same text when it holds none (most events). */
  sealJsonText(text: string, traits = false): string {
    if (this.off || !(traits ? MAYBE_PERSONAL_TRAITS : MAYBE_PERSONAL).test(text)) return text;
    return JSON.stringify(this.sealDeep(JSON.parse(text), traits));
  }

  /** JSON text with its sealed values opened; the same text when it holds none. */
  openJsonText(text: string): string {
    if (!text.includes(SEALED)) return text;
    return JSON.stringify(this.openDeep(JSON.parse(text)));
  }

  /**
   * A customer as stored: their email and the personal values of their traits (name, phone,
   * address, handles, notes …) sealed together as one value (one encryption a customer), and
   * the rest of their traits as plain JSON (plan, country: what segment rules read).
   */
  sealCustomer(
    email: string | null,
    traits: Record<string, unknown>,
  ): { email: string | null; traits: string } {
    const plain: Record<string, unknown> = {};
    const personal: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(traits)) {
      if (personalTrait(key) && (typeof value === "string" || typeof value === "number"))
        personal[key] = value;
      else plain[key] = value;
    }
    const text = stableJson(plain);
    if (email === null && Object.keys(personal).length === 0) return { email: null, traits: text };
    return { email: this.seal(JSON.stringify({ email, traits: personal })), traits: text };
  }

  /** A customer's email and whole traits as an object (one decryption; no key order kept). */
  openCustomerObject(
    email: string | null,
    traits: string,
  ): { email: string | null; traits: Record<string, unknown> } {
    const opened = email === null ? null : this.open(email);
    if (opened === null || !opened.startsWith("{"))
      return { email: opened, traits: JSON.parse(this.openJsonText(traits)) as Record<string, unknown> };
    const blob = JSON.parse(opened) as { email: string | null; traits: Record<string, unknown> };
    return {
      email: blob.email,
      traits: { ...(JSON.parse(traits) as Record<string, unknown>), ...blob.traits },
    };
  }

  /** A customer's email and whole traits as JSON with its keys in order (what an upsert compares). */
  openCustomer(email: string | null, traits: string): { email: string | null; traits: string } {
    const opened = this.openCustomerObject(email, traits);
    return { email: opened.email, traits: stableJson(opened.traits) };
  }
}
