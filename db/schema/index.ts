export * from "./campaigns.ts";
export * from "./customers.ts";
export * from "./events.ts";
export * from "./mentions.ts";
export * from "./operations.ts";
export * from "./orders.ts";
export * from "./rollups.ts";
export * from "./slack.ts";
