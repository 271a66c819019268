import { benchImport } from "./bench/import.ts";

console.log(await benchImport(50_000));
