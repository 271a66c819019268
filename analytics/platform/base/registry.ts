/**
 * The one registry of every kind of contribution: each item is registered with
 * the capability that contributes it, known by a key, listed in `order` when it
 * has one. Two items of one key are refused, naming both capabilities.
 */
export class Registry<T> {
  private readonly items: T[] = [];
  private readonly owners = new Map<T, string>();
  private readonly byKey = new Map<string, T>();

  constructor(
    /** What the items are, for the error ("command", "digest section"). */
    readonly what: string,
    private readonly keyOf: (item: T) => string | string[],
    private readonly orderOf?: (item: T) => number,
  ) {}

  register(owner: string, item: T): void {
    const keys = ([] as string[]).concat(this.keyOf(item));
    for (const key of keys) {
      const taken = this.byKey.get(key);
      if (taken !== undefined)
        throw new Error(
          `${this.what} “${key}” is contributed twice: by ${this.owners.get(taken)} and by ${owner}`,
        );
    }
    for (const key of keys) this.byKey.set(key, item);
    this.owners.set(item, owner);
    this.items.push(item);
    if (this.orderOf) {
      const order = this.orderOf;
      this.items.sort((a, b) => order(a) - order(b));
    }
  }

  list(): readonly T[] {
    return this.items;
  }

  get(key: string): T | undefined {
    return this.byKey.get(key);
  }

  /** The capability that contributed `item`. */
  ownerOf(item: T): string {
    const owner = this.owners.get(item);
    if (owner === undefined) throw new Error(`a ${this.what} that was never registered`);
    return owner;
  }
}
