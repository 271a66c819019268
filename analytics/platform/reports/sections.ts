/**
 * Parts of a larger message (the digest, the App Home) that capabilities
 * contribute: registered once each, listed in `order` (lower first).
 */
export class Sections<T extends { id: string; order: number }> {
  protected readonly sections: T[] = [];

  constructor(private readonly what: string) {}

  register(section: T): void {
    if (this.sections.some((s) => s.id === section.id)) {
      throw new Error(`${this.what} section “${section.id}” is registered twice`);
    }
    this.sections.push(section);
    this.sections.sort((a, b) => a.order - b.order);
  }

  list(): readonly T[] {
    return this.sections;
  }
}
