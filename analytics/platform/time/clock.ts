import { AsyncLocalStorage } from "node:async_hooks";

/**
 * The platform's clock. A request can carry its own instant (the answer thread
 * runs each command at the moment the main thread was asked, so a fake clock in
 * tests and the reporting day agree across threads); otherwise it is the base
 * clock (the wall clock, or a test's).
 */
export class Clock {
  private readonly scope = new AsyncLocalStorage<number>();

  constructor(private readonly base: () => number) {}

  now(): number {
    return this.scope.getStore() ?? this.base();
  }

  /** Runs `work` with `now()` answering `at` throughout, awaits included. */
  at<T>(at: number, work: () => T): T {
    return this.scope.run(at, work);
  }
}
