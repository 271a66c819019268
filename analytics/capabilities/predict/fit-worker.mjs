// Starts the customer models' fit thread: registers tsx in this thread, then loads the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./fit-worker.ts");
